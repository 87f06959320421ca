//! A list's columns laid out in terminal cells: each as wide as its text,
//! the room left to the text columns, the columns that may go dropped
//! before any text is cut, and then the widest cut first.

use std::cmp::Reverse;

use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use crate::tui::text::{cells, fit_cells};

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
