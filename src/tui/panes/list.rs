//! What every list shares (SPEC section 5, Lists): the cursor with Home/End
//! and pages of the rows actually shown, a filter that narrows the list as
//! one types, sorting by a column in either direction, the position
//! (`14/2000`), and columns laid out in terminal cells to the width given.
//!
//! A list's rows come from its pane through [`Rows`]; [`ListView`] holds the
//! order they are shown in, computed when the data, the filter or the sort
//! changes, never while drawing.

use std::cell::Cell;
use std::cmp::{Ordering, Reverse};
use std::ops::Range;

use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Block;

use crate::tui::action::Action;
use crate::tui::text::{cells, fit_cells};

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
}

/// The column sorted by and the direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortBy {
    pub column: usize,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// One column of a list: how it is laid out and how it sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub title: &'static str,
    pub align: Align,
    /// The fewest cells it is cut to; its whole width when it must not be cut.
    pub min: usize,
    /// Its share of the room left over and of the cutting, 0 for none.
    pub grow: u16,
    /// Columns that may go are dropped, lowest first, before any text is cut.
    pub optional: Option<u8>,
    /// Sorting by it starts highest first (amounts, dates).
    pub descending_first: bool,
}

impl Column {
    pub const fn text(title: &'static str, min: usize, grow: u16) -> Column {
        Column {
            title,
            align: Align::Left,
            min,
            grow,
            optional: None,
            descending_first: false,
        }
    }

    /// A figure: right-aligned, highest first.
    pub const fn figure(title: &'static str) -> Column {
        Column {
            title,
            align: Align::Right,
            min: 0,
            grow: 0,
            optional: None,
            descending_first: true,
        }
    }

    pub const fn optional(mut self, rank: u8) -> Column {
        self.optional = Some(rank);
        self
    }

    pub const fn descending_first(mut self) -> Column {
        self.descending_first = true;
        self
    }
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
        self.shown = (0..rows.count()).filter(|&i| rows.admits(i)).collect();
        self.apply_filter(rows);
        self.apply_sort(rows);
        self.reselect(rows, before);
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

    fn apply_sort(&mut self, rows: &dyn Rows) {
        let SortBy { column, descending } = self.sort;
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
                self.refresh(rows);
                self.selected = 0;
            }
            Action::ReverseSort => {
                self.sort.descending = !self.sort.descending;
                self.refresh(rows);
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

/// The widths columns get in `width` cells, `None` for a column left out,
/// and the gap between them. `natural` is what each needs to show whole
/// (header included). Text is cut only when the columns that may go are
/// gone and the rest still do not fit.
pub fn widths(columns: &[Column], natural: &[usize], width: usize) -> (Vec<Option<usize>>, usize) {
    let gap = if width >= 100 { 2 } else { 1 };
    let natural: Vec<usize> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| natural.get(i).copied().unwrap_or(0).max(c.min))
        .collect();
    let mut active: Vec<bool> = vec![true; columns.len()];
    let gaps = |active: &[bool]| gap * active.iter().filter(|a| **a).count().saturating_sub(1);
    let sum = |active: &[bool], of: &dyn Fn(usize) -> usize| -> usize {
        (0..columns.len()).filter(|&i| active[i]).map(of).sum()
    };
    // Optional columns go first, lowest rank first, while the rest do not fit whole.
    let mut optional: Vec<(u8, usize)> = columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.optional.map(|rank| (rank, i)))
        .collect();
    optional.sort();
    let mut optional = optional.into_iter();
    while sum(&active, &|i| natural[i]) + gaps(&active) > width {
        match optional.next() {
            Some((_, i)) => active[i] = false,
            None => break,
        }
    }
    // Then required columns are cut toward their least, and dropped from the
    // right when even that is too wide.
    loop {
        let shrinkable = |i: usize| columns[i].grow > 0;
        let fixed = sum(&active, &|i| if shrinkable(i) { 0 } else { natural[i] });
        let least = sum(&active, &|i| if shrinkable(i) { columns[i].min } else { 0 });
        if fixed + least + gaps(&active) <= width || active.iter().filter(|a| **a).count() <= 1 {
            break;
        }
        match (1..columns.len()).rev().find(|&i| active[i]) {
            Some(i) => active[i] = false,
            None => break,
        }
    }
    let room = width.saturating_sub(gaps(&active));
    let mut out: Vec<Option<usize>> = (0..columns.len())
        .map(|i| active[i].then_some(natural[i]))
        .collect();
    let used: usize = out.iter().flatten().sum();
    let weights: Vec<(usize, u16)> = (0..columns.len())
        .filter(|&i| active[i] && columns[i].grow > 0)
        .map(|i| (i, columns[i].grow))
        .collect();
    let total_weight: usize = weights.iter().map(|(_, w)| usize::from(*w)).sum();
    if used <= room {
        // Room to spare goes to the text columns, so nothing is cut beside it.
        let extra = room - used;
        share(&mut out, &weights, total_weight, extra, |w, more| w + more);
    } else {
        // Cut the widest text column first, one cell at a time, so that a
        // long reason gives way before a name is touched.
        let mut over = used - room;
        while over > 0 {
            let widest = weights
                .iter()
                .filter_map(|&(i, _)| {
                    let w = out.get(i).copied().flatten()?;
                    (w > columns[i].min).then_some((w, Reverse(i)))
                })
                .max();
            let Some((_, Reverse(i))) = widest else {
                break;
            };
            if let Some(Some(w)) = out.get_mut(i) {
                *w -= 1;
            }
            over -= 1;
        }
    }
    // A single column wider than the list is cut to it.
    for w in out.iter_mut().flatten() {
        *w = (*w).min(width);
    }
    (out, gap)
}

/// Shares `amount` among `weights` in proportion, the rounding to the first.
fn share(
    out: &mut [Option<usize>],
    weights: &[(usize, u16)],
    total_weight: usize,
    amount: usize,
    add: impl Fn(usize, usize) -> usize,
) {
    if total_weight == 0 {
        return;
    }
    let mut given = 0;
    for &(i, weight) in weights {
        let part = amount * usize::from(weight) / total_weight;
        given += part;
        if let Some(Some(w)) = out.get_mut(i) {
            *w = add(*w, part);
        }
    }
    if let Some(&(i, _)) = weights.first()
        && let Some(Some(w)) = out.get_mut(i)
    {
        *w = add(*w, amount - given);
    }
}

/// The cells each column needs for `rows` and its title (with room for the
/// sort arrow on the column sorted by).
pub fn natural(columns: &[Column], rows: &[Vec<String>], sort: Option<SortBy>) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let title = cells(c.title)
                + if sort.is_some_and(|s| s.column == i) {
                    2
                } else {
                    0
                };
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|t| cells(t))
                .max()
                .unwrap_or(0)
                .max(title)
        })
        .collect()
}

/// One line of cells laid out in the columns' widths.
pub fn layout_line(
    columns: &[Column],
    texts: &[String],
    widths: &[Option<usize>],
    gap: usize,
) -> String {
    let mut line = String::new();
    let mut first = true;
    for (i, column) in columns.iter().enumerate() {
        let Some(Some(width)) = widths.get(i) else {
            continue;
        };
        if !first {
            line.push_str(&" ".repeat(gap));
        }
        first = false;
        let text = texts.get(i).map_or("", String::as_str);
        let cut = fit_cells(text, *width);
        let pad = " ".repeat(width.saturating_sub(cells(&cut)));
        match column.align {
            Align::Left => {
                line.push_str(&cut);
                line.push_str(&pad);
            }
            Align::Right => {
                line.push_str(&pad);
                line.push_str(&cut);
            }
        }
    }
    line.trim_end().to_string()
}

/// The header: each title, the sorted column's with its direction.
pub fn header_line(
    columns: &[Column],
    sort: SortBy,
    widths: &[Option<usize>],
    gap: usize,
) -> Line<'static> {
    let titles: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == sort.column {
                let arrow = if sort.descending { "▼" } else { "▲" };
                format!("{} {arrow}", c.title)
            } else {
                c.title.to_string()
            }
        })
        .collect();
    Line::styled(
        layout_line(columns, &titles, widths, gap),
        Style::new().add_modifier(Modifier::BOLD),
    )
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
mod tests {
    use super::*;

    /// Names and amounts, as a pane gives them.
    struct People(Vec<(&'static str, i64)>);

    impl Rows for People {
        fn count(&self) -> usize {
            self.0.len()
        }
        fn haystack(&self, item: usize) -> String {
            self.0.get(item).map_or(String::new(), |p| p.0.to_string())
        }
        fn sort_key(&self, column: usize, item: usize) -> SortKey {
            match (column, self.0.get(item)) {
                (0, Some(p)) => SortKey::text(p.0),
                (_, Some(p)) if p.1 >= 0 => SortKey::Int(p.1),
                _ => SortKey::Missing,
            }
        }
        fn identity(&self, item: usize) -> i64 {
            item as i64
        }
    }

    const COLUMNS: [Column; 2] = [Column::text("Name", 4, 1), Column::figure("Revenue")];

    fn people(n: usize) -> People {
        let names = ["Aino", "Bertil", "Cecilia", "Daniel", "Eero"];
        People(
            (0..n)
                .map(|i| (names[i % names.len()], (i as i64 * 37) % 101 - 5))
                .collect(),
        )
    }

    fn view(rows: &People) -> ListView {
        let mut v = ListView::new(SortBy {
            column: 0,
            descending: false,
        });
        v.refresh(rows);
        v
    }

    #[test]
    fn home_end_and_pages_of_the_rows_shown() {
        let rows = people(2000);
        let mut v = view(&rows);
        assert!(v.handle(Action::Last, &rows, &COLUMNS));
        assert_eq!(v.position(), "2000/2000");
        v.handle(Action::First, &rows, &COLUMNS);
        assert_eq!(v.selected, 0);
        // Before a frame: ten rows; after one of 31 rows: 31.
        v.handle(Action::PageDown, &rows, &COLUMNS);
        assert_eq!(v.selected, 10);
        assert_eq!(v.visible(31), 0..31);
        v.handle(Action::PageDown, &rows, &COLUMNS);
        assert_eq!(v.selected, 41);
        assert_eq!(
            v.visible(31),
            11..42,
            "the view moves as little as it takes"
        );
        v.handle(Action::PageUp, &rows, &COLUMNS);
        assert_eq!(v.selected, 10);
        assert_eq!(v.visible(31), 10..41);
        assert_eq!(v.position(), "11/2000");
        v.handle(Action::Up, &rows, &COLUMNS);
        v.handle(Action::Up, &rows, &COLUMNS);
        assert_eq!(v.visible(31), 8..39);
    }

    #[test]
    fn the_view_never_leaves_the_rows_for_any_moves() {
        // A bounded walk with a fixed seed: every step keeps the cursor in
        // the list and on screen.
        let rows = people(57);
        let mut v = view(&rows);
        let actions = [
            Action::Up,
            Action::Down,
            Action::PageUp,
            Action::PageDown,
            Action::First,
            Action::Last,
        ];
        let mut seed: u64 = 0x5eed_1157;
        for _ in 0..2000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let action = actions[(seed >> 33) as usize % actions.len()];
            let height = (seed >> 45) as usize % 40;
            v.handle(action, &rows, &COLUMNS);
            let shown = v.visible(height);
            assert!(v.selected < 57);
            if height > 0 {
                assert!(shown.contains(&v.selected), "{shown:?} {}", v.selected);
                assert!(shown.len() == height.min(57));
            }
        }
    }

    #[test]
    fn the_filter_narrows_as_one_types_and_esc_clears_it() {
        let rows = people(10);
        let mut v = view(&rows);
        v.handle(Action::Filter, &rows, &COLUMNS);
        assert!(v.typing);
        v.type_char('e', &rows);
        // Bertil, Cecilia, Daniel, Eero, twice each.
        assert_eq!(v.len(), 8);
        v.type_char('r', &rows);
        assert_eq!(v.len(), 4, "Bertil and Eero");
        v.type_char(' ', &rows);
        v.type_char('b', &rows);
        assert_eq!(v.len(), 2, "every word must match");
        v.erase(&rows);
        v.erase(&rows);
        assert_eq!(v.len(), 4);
        // The cursor stays on its row as the filter changes.
        v.select(3);
        let before = v.current();
        v.erase(&rows);
        assert_eq!(v.current(), before);
        v.clear_filter(&rows);
        assert!(!v.typing);
        assert_eq!(v.len(), 10);
        assert_eq!(v.current(), before);
        v.type_char('z', &rows);
        assert!(v.is_empty());
        assert_eq!(v.position(), "0/0");
        assert_eq!(v.current(), None);
    }

    #[test]
    fn sort_cycles_columns_and_reverses_with_missing_values_last() {
        let rows = People(vec![("Cecilia", 10), ("Aino", -1), ("Bertil", 30)]);
        let mut v = view(&rows);
        assert_eq!(v.shown, [1, 2, 0], "by name");
        v.handle(Action::CycleSort, &rows, &COLUMNS);
        assert_eq!(
            v.sort,
            SortBy {
                column: 1,
                descending: true
            }
        );
        assert_eq!(v.shown, [2, 0, 1], "highest first, the missing amount last");
        v.handle(Action::ReverseSort, &rows, &COLUMNS);
        assert_eq!(
            v.shown,
            [0, 2, 1],
            "lowest first, the missing amount still last"
        );
        v.handle(Action::CycleSort, &rows, &COLUMNS);
        assert_eq!(v.sort.column, 0);
        assert_eq!(v.shown, [1, 2, 0]);
    }

    #[test]
    fn columns_use_the_width_they_get() {
        let columns = [
            Column::text("Name", 6, 2),
            Column::text("Company", 6, 1).optional(2),
            Column::figure("Revenue"),
            Column::figure("P").optional(1),
        ];
        let natural = [20, 12, 10, 4];
        // Everything fits: the room left goes to the text columns.
        let (w, gap) = widths(&columns, &natural, 120);
        assert_eq!(gap, 2);
        let total: usize = w.iter().flatten().sum::<usize>() + gap * 3;
        assert_eq!(total, 120);
        assert!(w[0] > Some(20) && w[1] > Some(12));
        assert_eq!((w[2], w[3]), (Some(10), Some(4)));
        // Too narrow: the optional columns go, lowest first, before any cut.
        let (w, _) = widths(&columns, &natural, 45);
        assert_eq!(w[3], None);
        assert_eq!((w[0], w[1], w[2]), (Some(21), Some(12), Some(10)));
        let (w, _) = widths(&columns, &natural, 31);
        assert_eq!(w[1], None);
        assert_eq!((w[0], w[2]), (Some(20), Some(10)));
        // Narrower still: the name is cut, the figure never.
        let (w, _) = widths(&columns, &natural, 20);
        assert_eq!((w[0], w[2]), (Some(9), Some(10)));
        // Degenerate widths draw something, never panic.
        for width in 0..8 {
            let (w, _) = widths(&columns, &natural, width);
            assert!(w.iter().flatten().all(|&c| c <= width));
        }
    }

    #[test]
    fn lines_are_laid_out_in_terminal_cells() {
        let columns = [Column::text("Name", 4, 1), Column::figure("Sum")];
        let widths = [Some(6), Some(5)];
        assert_eq!(
            layout_line(&columns, &["日本語".into(), "12".into()], &widths, 1),
            "日本語    12"
        );
        assert_eq!(
            layout_line(&columns, &["Järvinen".into(), "1".into()], &widths, 1),
            "Järvi…     1"
        );
        let header = header_line(
            &columns,
            SortBy {
                column: 1,
                descending: true,
            },
            &widths,
            1,
        );
        assert_eq!(header.to_string(), "Name   Sum ▼");
    }
}
