//! What every list shares (SPEC section 5, Lists): the cursor with Home/End
//! and pages of the rows actually shown, a filter that narrows the list as
//! one types, sorting by a column in either direction, the position
//! (`14/2000`), and columns laid out in terminal cells to the width given.
//!
//! A list's rows come from its pane through [`Rows`]; [`ListView`] holds the
//! order they are shown in, computed when the data, the filter or the sort
//! changes, never while drawing.

use std::cell::Cell;
use std::cmp::Ordering;
use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Block;

pub use super::columns::{Align, Column, SortBy, header_line, layout_line, natural, widths};
use crate::tui::action::Action;

/// Rows a page key moves before the list has been drawn once.
pub const FIRST_PAGE: usize = 10;

/// A value a column sorts by. Missing values come last in either direction.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    Missing,
    Text(String),
    Int(i64),
    Float(f64),
}

impl SortKey {
    /// Text compared without case.
    pub fn text(text: &str) -> SortKey {
        if text.trim().is_empty() {
            SortKey::Missing
        } else {
            SortKey::Text(text.to_lowercase())
        }
    }

    fn compare(&self, other: &SortKey, descending: bool) -> Ordering {
        let value = match (self, other) {
            (SortKey::Missing, SortKey::Missing) => return Ordering::Equal,
            (SortKey::Missing, _) => return Ordering::Greater,
            (_, SortKey::Missing) => return Ordering::Less,
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            (SortKey::Int(a), SortKey::Int(b)) => a.cmp(b),
            (SortKey::Float(a), SortKey::Float(b)) => a.total_cmp(b),
            // One column gives one kind of key; mixed kinds keep their order.
            _ => Ordering::Equal,
        };
        if descending { value.reverse() } else { value }
    }
}

/// The rows of one list, as its pane gives them.
pub trait Rows {
    fn count(&self) -> usize;
    /// The text the filter looks in: what the row shows.
    fn haystack(&self, item: usize) -> String;
    fn sort_key(&self, column: usize, item: usize) -> SortKey;
    /// Who the row is, so that the cursor stays on them when the order changes.
    fn identity(&self, item: usize) -> i64;
    /// Whether the list's own narrowing (the follow-ups' overdue, today...)
    /// lets the row in, before the filter.
    fn admits(&self, _item: usize) -> bool {
        true
    }
    /// The item's rank in `column`'s ascending order ([`ranks`]), when the
    /// pane keeps them: sorting is then a counting pass, not a comparison
    /// of every key. None (the default) sorts by [`Rows::sort_key`].
    fn rank(&self, _column: usize, _item: usize) -> Option<u32> {
        None
    }
    /// The ranks and order of `column` over every item ([`Ranked`]), when
    /// the pane keeps them: a sort of many rows is then one pass over the
    /// order. None (the default) sorts by [`Rows::rank`] or the keys.
    fn ranked(&self, _column: usize) -> Option<&Ranked> {
        None
    }
}

/// The rank of a missing value: last in either direction.
pub const MISSING_RANK: u32 = u32::MAX;

/// A column's ranks and the order they give, computed once per load, so
/// that sorting never compares keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranked {
    /// Each key's rank in ascending order as [`SortKey`] compares them:
    /// equal keys share a rank, ranks are dense from 0, a missing key is
    /// [`MISSING_RANK`].
    pub ranks: Vec<u32>,
    /// The keys' indices in ascending order of rank, ties in the indices'
    /// order, missing keys last.
    pub order: Vec<u32>,
}

/// The ranks and the order of `keys` (see [`Ranked`]).
pub fn ranked(keys: &[SortKey]) -> Ranked {
    let order = sorted_order(keys);
    let mut ranks = vec![MISSING_RANK; keys.len()];
    let mut rank: u32 = 0;
    let mut previous: Option<u32> = None;
    for &i in &order {
        let key = key_at(keys, i);
        if *key == SortKey::Missing {
            continue;
        }
        if let Some(p) = previous
            && key_at(keys, p).compare(key, false) != Ordering::Equal
        {
            rank += 1;
        }
        previous = Some(i);
        if let Some(slot) = ranks.get_mut(i as usize) {
            *slot = rank;
        }
    }
    Ranked { ranks, order }
}

impl Ranked {
    /// These ranks and order after the keys of the rows `changed` changed
    /// (rows past the last added), each row's key now given by `key`: the
    /// same as [`ranked`] of every key now, for a few changes in one pass
    /// over the order and the ranks, a few keys compared for each change,
    /// in place (at a million rows a new order and ranks are 8 MB a column
    /// of fresh pages).
    pub fn change(&mut self, changed: &[u32], key: impl Fn(u32) -> SortKey) {
        let mut changed = changed.to_vec();
        changed.sort_unstable();
        changed.dedup();
        let is_changed = |row: u32| changed.binary_search(&row).is_ok();
        let rows = changed
            .last()
            .map_or(0, |&last| last as usize + 1)
            .max(self.ranks.len());
        let old_rows = self.ranks.len();
        // By key, missing last, ties by row, as `ranked` orders them.
        let order_of =
            |a: (&SortKey, u32), b: (&SortKey, u32)| a.0.compare(b.0, false).then(a.1.cmp(&b.1));
        self.order.retain(|&row| !is_changed(row));
        let mut put: Vec<(SortKey, u32)> = changed.iter().map(|&row| (key(row), row)).collect();
        put.sort_by(|a, b| order_of((&a.0, a.1), (&b.0, b.1)));
        // Where each goes among the rows kept, found by halving.
        let places: Vec<usize> = put
            .iter()
            .map(|(k, row)| {
                self.order.partition_point(|&other| {
                    order_of((&key(other), other), (k, *row)) == Ordering::Less
                })
            })
            .collect();
        // Merged from the back: each row kept moves once.
        let kept = self.order.len();
        self.order.resize(kept + put.len(), 0);
        let mut end = kept;
        for (slot, (&place, (_, row))) in places.iter().zip(&put).enumerate().rev() {
            let place = place.min(end);
            self.order.copy_within(place..end, place + slot + 1);
            if let Some(at) = self.order.get_mut(place + slot) {
                *at = *row;
            }
            end = place;
        }
        // Dense ranks again: rows kept side by side are equal when their
        // ranks were; a changed row's key is compared.
        self.ranks.resize(rows, MISSING_RANK);
        let mut rank: u32 = 0;
        // The row before, its rank before this change, and its key if changed.
        let mut previous: Option<(u32, u32, Option<SortKey>)> = None;
        for &row in &self.order {
            let at = row as usize;
            let own = is_changed(row).then(|| key(row));
            let old = if at < old_rows && own.is_none() {
                self.ranks.get(at).copied().unwrap_or(MISSING_RANK)
            } else {
                MISSING_RANK
            };
            let missing = match &own {
                Some(k) => *k == SortKey::Missing,
                None => old == MISSING_RANK,
            };
            if missing {
                if let Some(slot) = self.ranks.get_mut(at) {
                    *slot = MISSING_RANK;
                }
                continue;
            }
            if let Some((p, p_old, p_key)) = &previous {
                let equal = match (p_key, &own) {
                    (None, None) => *p_old == old,
                    _ => {
                        let a = p_key.clone().unwrap_or_else(|| key(*p));
                        let b = own.clone().unwrap_or_else(|| key(row));
                        a.compare(&b, false) == Ordering::Equal
                    }
                };
                if !equal {
                    rank += 1;
                }
            }
            if let Some(slot) = self.ranks.get_mut(at) {
                *slot = rank;
            }
            previous = Some((row, old, own));
        }
    }
}

/// The indices of `keys` in ascending order (ties in the indices' order,
/// missing last). Each key is first sorted by a whole number that orders as the
/// key does (a text by its first eight bytes), so most comparisons read one
/// contiguous array rather than texts strewn over the heap; texts that
/// share their first bytes are then compared whole.
fn sorted_order(keys: &[SortKey]) -> Vec<u32> {
    let by_keys = || {
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_by(|&a, &b| key_at(keys, a).compare(key_at(keys, b), false));
        order
    };
    // One kind of key a column: mixed kinds keep their order, as `compare` says.
    let kind = |key: &SortKey| std::mem::discriminant(key);
    let mut kinds = keys.iter().filter(|k| **k != SortKey::Missing).map(kind);
    let Some(first) = kinds.next() else {
        return by_keys();
    };
    if kinds.any(|k| k != first) {
        return by_keys();
    }
    // Missing keys after every other: a flag above the number.
    let mut prefixed: Vec<(bool, u64, u32)> = keys
        .iter()
        .zip(0u32..)
        .map(|(key, i)| match key {
            SortKey::Missing => (true, 0, i),
            SortKey::Int(v) => (false, (*v as u64) ^ (1 << 63), i),
            SortKey::Float(v) => {
                // The order of `total_cmp`, as unsigned bits.
                let bits = v.to_bits();
                let flipped = if bits >> 63 == 1 {
                    !bits
                } else {
                    bits | (1 << 63)
                };
                (false, flipped, i)
            }
            SortKey::Text(t) => {
                let mut head = [0u8; 8];
                for (slot, byte) in head.iter_mut().zip(t.bytes()) {
                    *slot = byte;
                }
                (false, u64::from_be_bytes(head), i)
            }
        })
        .collect();
    prefixed.sort_unstable();
    let mut order: Vec<u32> = prefixed.iter().map(|&(_, _, i)| i).collect();
    // The index last in each tuple keeps equal numbers in the indices' order.
    // Texts alike in their first eight bytes, compared whole.
    if matches!(
        keys.iter().find(|k| **k != SortKey::Missing),
        Some(SortKey::Text(_))
    ) {
        let mut start = 0;
        while start < prefixed.len() {
            let head = (prefixed[start].0, prefixed[start].1);
            let end = start
                + prefixed[start..]
                    .iter()
                    .take_while(|p| (p.0, p.1) == head)
                    .count();
            if end - start > 1
                && let Some(run) = order.get_mut(start..end)
            {
                // Stable: the run is in the indices' order, and ties stay so.
                run.sort_by(|&a, &b| key_at(keys, a).compare(key_at(keys, b), false));
            }
            start = end;
        }
    }
    order
}

fn key_at(keys: &[SortKey], i: u32) -> &SortKey {
    keys.get(i as usize).unwrap_or(&SortKey::Missing)
}

/// `items` in the order of their `ranks` (one per item), ties in the order
/// given, missing values last: a stable counting sort, or a stable sort of
/// the ranks when they are few against the ranks' range.
fn by_rank(items: &[usize], ranks: &[u32], descending: bool) -> Vec<usize> {
    let top = ranks
        .iter()
        .copied()
        .filter(|&r| r != MISSING_RANK)
        .max()
        .map_or(0, |r| r as usize + 1);
    if items.len() < top / 8 {
        let mut keyed: Vec<((bool, u32), usize)> = items
            .iter()
            .zip(ranks)
            .map(|(&item, &r)| {
                let key = if descending { u32::MAX - r } else { r };
                ((r == MISSING_RANK, key), item)
            })
            .collect();
        keyed.sort_by_key(|&(key, _)| key);
        return keyed.into_iter().map(|(_, item)| item).collect();
    }
    let bucket = |r: u32| match r {
        MISSING_RANK => top,
        r if descending => top - 1 - r as usize,
        r => r as usize,
    };
    let mut starts = vec![0usize; top + 2];
    for &r in ranks {
        if let Some(count) = starts.get_mut(bucket(r) + 1) {
            *count += 1;
        }
    }
    for b in 1..starts.len() {
        starts[b] += starts[b - 1];
    }
    let mut sorted = vec![0usize; items.len()];
    for (&item, &r) in items.iter().zip(ranks) {
        if let Some(at) = starts.get_mut(bucket(r))
            && let Some(slot) = sorted.get_mut(*at)
        {
            *slot = item;
            *at += 1;
        }
    }
    sorted
}

/// A list shows at least one item in this many of all its items for the
/// sort to walk the column's whole order ([`in_order`]) rather than sort the
/// items' ranks.
const WALK_ORDER_SHARE: usize = 32;

/// `items` (distinct, ascending, each below the order's length) in the
/// column's order, ties in the order given, missing values last: one pass
/// over the order, keeping the items given.
fn in_order(items: &[usize], ranked: &Ranked, descending: bool) -> Vec<usize> {
    let all = ranked.order.iter().map(|&i| i as usize);
    let mut sorted: Vec<usize> = if items.len() == ranked.order.len() {
        all.collect()
    } else {
        let mut given = vec![0u64; ranked.order.len().div_ceil(64)];
        for &item in items {
            if let Some(word) = given.get_mut(item / 64) {
                *word |= 1 << (item % 64);
            }
        }
        all.filter(|&i| given.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 == 1))
            .collect()
    };
    if descending {
        let rank = |i: usize| ranked.ranks.get(i).copied().unwrap_or(MISSING_RANK);
        let present = sorted.partition_point(|&i| rank(i) != MISSING_RANK);
        if let Some(present) = sorted.get_mut(..present) {
            present.reverse();
            // Equal ranks back in the order given.
            for tie in present.chunk_by_mut(|&a, &b| rank(a) == rank(b)) {
                tie.reverse();
            }
        }
    }
    sorted
}

/// The cursor and the order of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListView {
    /// Index into `shown`.
    pub selected: usize,
    /// The items shown, in order: filtered, then sorted.
    pub shown: Vec<usize>,
    pub filter: String,
    /// The filter box has the keys.
    pub typing: bool,
    pub sort: SortBy,
    /// The first row drawn and the rows the last frame had room for; kept by
    /// drawing, so that a page is a screenful.
    offset: Cell<usize>,
    page: Cell<usize>,
    /// The haystacks of every item, made when the filter is first used.
    hay: Vec<String>,
}

impl ListView {
    pub fn new(sort: SortBy) -> ListView {
        ListView {
            selected: 0,
            shown: Vec::new(),
            filter: String::new(),
            typing: false,
            sort,
            offset: Cell::new(0),
            page: Cell::new(0),
            hay: Vec::new(),
        }
    }

    /// The item under the cursor.
    pub fn current(&self) -> Option<usize> {
        self.shown.get(self.selected).copied()
    }

    pub fn len(&self) -> usize {
        self.shown.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// Computes the order again (new data, another sort), keeping the cursor
    /// on the same row when it is still shown.
    pub fn refresh(&mut self, rows: &dyn Rows) {
        let before = self.current().map(|i| rows_identity(rows, i));
        self.hay.clear();
        self.reorder(rows);
        self.reselect(rows, before);
    }

    /// The rows shown, filtered and sorted again, the cursor left as it is.
    fn reorder(&mut self, rows: &dyn Rows) {
        self.shown = (0..rows.count()).filter(|&i| rows.admits(i)).collect();
        self.apply_filter(rows);
        self.apply_sort(rows);
    }

    /// After a change of the filter text: narrows (or widens) the shown rows.
    fn refilter(&mut self, rows: &dyn Rows, narrower: bool) {
        let before = self.current().map(|i| rows_identity(rows, i));
        if !narrower {
            self.shown = (0..rows.count()).filter(|&i| rows.admits(i)).collect();
        }
        self.apply_filter(rows);
        if !narrower {
            self.apply_sort(rows);
        }
        self.reselect(rows, before);
    }

    fn reselect(&mut self, rows: &dyn Rows, before: Option<i64>) {
        self.selected = before
            .and_then(|id| {
                self.shown
                    .iter()
                    .position(|&i| rows_identity(rows, i) == id)
            })
            .unwrap_or(self.selected)
            .min(self.shown.len().saturating_sub(1));
    }

    fn apply_filter(&mut self, rows: &dyn Rows) {
        let words: Vec<String> = self
            .filter
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if words.is_empty() {
            return;
        }
        if self.hay.len() != rows.count() {
            self.hay = (0..rows.count())
                .map(|i| rows.haystack(i).to_lowercase())
                .collect();
        }
        let hay = &self.hay;
        self.shown.retain(|&i| {
            hay.get(i)
                .is_some_and(|h| words.iter().all(|w| h.contains(w.as_str())))
        });
    }

    /// Sorts the rows shown, which are in the items' order.
    fn apply_sort(&mut self, rows: &dyn Rows) {
        let SortBy { column, descending } = self.sort;
        let count = rows.count();
        if let Some(ranked) = rows.ranked(column)
            && ranked.order.len() == count
            && ranked.ranks.len() == count
            && self.shown.len() * WALK_ORDER_SHARE >= count
        {
            self.shown = in_order(&self.shown, ranked, descending);
            return;
        }
        let ranked: Option<Vec<u32>> = self.shown.iter().map(|&i| rows.rank(column, i)).collect();
        if let Some(ranked) = ranked {
            self.shown = by_rank(&self.shown, &ranked, descending);
            return;
        }
        let mut keyed: Vec<(SortKey, usize)> = self
            .shown
            .iter()
            .map(|&i| (rows.sort_key(column, i), i))
            .collect();
        // Stable: rows that tie keep the order the pane gives them.
        keyed.sort_by(|(a, _), (b, _)| a.compare(b, descending));
        self.shown = keyed.into_iter().map(|(_, i)| i).collect();
    }

    /// Rows a page key moves: what the last frame showed.
    pub fn page(&self) -> usize {
        match self.page.get() {
            0 => FIRST_PAGE,
            rows => rows,
        }
    }

    /// Moves the cursor to `at` (clamped).
    pub fn select(&mut self, at: usize) {
        self.selected = at.min(self.shown.len().saturating_sub(1));
    }

    /// The cursor, sort and filter keys every list answers. Returns whether
    /// the action was one of them.
    pub fn handle(&mut self, action: Action, rows: &dyn Rows, columns: &[Column]) -> bool {
        let len = self.shown.len();
        let last = len.saturating_sub(1);
        let page = self.page();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::First => self.selected = 0,
            Action::Last => self.selected = last,
            Action::Filter => self.typing = true,
            Action::CycleSort if !columns.is_empty() => {
                let column = (self.sort.column + 1) % columns.len();
                self.sort = SortBy {
                    column,
                    descending: columns.get(column).is_some_and(|c| c.descending_first),
                };
                self.reorder(rows);
                self.selected = 0;
            }
            Action::ReverseSort => {
                self.sort.descending = !self.sort.descending;
                self.reorder(rows);
                self.selected = 0;
            }
            _ => return false,
        }
        true
    }

    /// A character typed into the filter box.
    pub fn type_char(&mut self, c: char, rows: &dyn Rows) {
        self.filter.push(c);
        self.refilter(rows, true);
    }

    pub fn erase(&mut self, rows: &dyn Rows) {
        if self.filter.pop().is_some() {
            self.refilter(rows, false);
        }
    }

    /// Pasted text goes into the filter as one line.
    pub fn paste(&mut self, text: &str, rows: &dyn Rows) {
        self.filter
            .extend(text.chars().filter(|c| !c.is_control()).take(200));
        self.refilter(rows, false);
    }

    /// Esc: the filter cleared and its box closed.
    pub fn clear_filter(&mut self, rows: &dyn Rows) {
        self.typing = false;
        if !self.filter.is_empty() {
            self.filter.clear();
            self.refilter(rows, false);
        }
    }

    /// Whether a key would change the cursor: what the footer offers.
    pub fn can(&self, action: Action) -> bool {
        let last = self.shown.len().saturating_sub(1);
        match action {
            Action::Up | Action::PageUp | Action::First => self.selected > 0,
            Action::Down | Action::PageDown | Action::Last => self.selected < last,
            Action::Filter => !self.typing,
            Action::CycleSort | Action::ReverseSort => true,
            _ => false,
        }
    }

    /// The rows to draw in `height` lines: the cursor's row in view, the view
    /// moved as little as it takes. Remembers both for the page keys.
    pub fn visible(&self, height: usize) -> Range<usize> {
        self.page.set(height.max(1));
        let shown = self.peek(height);
        self.offset.set(shown.start);
        shown
    }

    /// The rows [`ListView::visible`] would draw in `height` lines, without
    /// remembering them: for a list that fits headings between its rows.
    pub fn peek(&self, height: usize) -> Range<usize> {
        let len = self.shown.len();
        if height == 0 || len == 0 {
            return 0..0;
        }
        let selected = self.selected.min(len - 1);
        let mut offset = self.offset.get().min(len.saturating_sub(height));
        if selected < offset {
            offset = selected;
        } else if selected >= offset + height {
            offset = selected + 1 - height;
        }
        offset..(offset + height).min(len)
    }

    /// `14/2000`; `0/0` when empty.
    pub fn position(&self) -> String {
        let len = self.shown.len();
        let at = if len == 0 { 0 } else { self.selected + 1 };
        format!("{at}/{len}")
    }

    /// The block around a list: its title, the filter (typed or kept) at the
    /// bottom left, the position at the bottom right.
    pub fn block(&self, title: String, filter_label: &str) -> Block<'static> {
        let mut block = Block::bordered()
            .title(title)
            .title_bottom(Line::raw(format!(" {} ", self.position())).right_aligned());
        if self.typing || !self.filter.is_empty() {
            let cursor = if self.typing { "▏" } else { "" };
            let text = crate::tui::text::clean(&self.filter);
            block = block.title_bottom(Line::styled(
                format!(" {filter_label}: {text}{cursor} "),
                Style::new().add_modifier(Modifier::BOLD),
            ));
        }
        block
    }
}

fn rows_identity(rows: &dyn Rows, item: usize) -> i64 {
    if item < rows.count() {
        rows.identity(item)
    } else {
        i64::MIN
    }
}

/// The screen rectangle of the `line`-th line of `area`, for the mouse.
pub fn line_rect(area: Rect, line: usize) -> Option<Rect> {
    let y = area.y.checked_add(u16::try_from(line).ok()?)?;
    (y < area.bottom()).then_some(Rect {
        y,
        height: 1,
        ..area
    })
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;

/// A list's visible rows drawn under their header, each `(position in the
/// list, cells)`, the selected one reversed and each a click target; `empty`
/// under the header when nothing is shown.
pub fn draw_rows(
    frame: &mut ratatui::Frame,
    inner: Rect,
    columns: &[Column],
    texts: &[(usize, Vec<String>)],
    view: &ListView,
    empty: &str,
    screen: &mut crate::tui::mouse::ScreenMap,
) {
    let all: Vec<Vec<String>> = texts.iter().map(|(_, t)| t.clone()).collect();
    let natural = natural(columns, &all, Some(view.sort));
    let (widths, gap) = widths(columns, &natural, usize::from(inner.width));
    let mut lines = vec![header_line(columns, view.sort, &widths, gap)];
    if view.is_empty() {
        lines.push(Line::raw(empty.to_string()));
    }
    for (n, (at, cells)) in texts.iter().enumerate() {
        let style = if *at == view.selected {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new()
        };
        if let Some(rect) = line_rect(inner, n + 1) {
            screen.add(rect, crate::tui::mouse::Target::Row(*at));
        }
        lines.push(Line::styled(
            layout_line(columns, cells, &widths, gap),
            style,
        ));
    }
    frame.render_widget(ratatui::widgets::Paragraph::new(lines), inner);
}
