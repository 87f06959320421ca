//! The search box: query, results and the matcher, updated per keystroke.

use nucleo_matcher::Matcher;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::data::DashboardData;
use super::panes::DrawContext;
use super::search::{self, Found, Matched};
use super::text::{clean, ellipsize};
use crate::i18n::stage_name;

/// More results than fit any screen are of no use.
const MAX_RESULTS: usize = 200;
/// Longest query kept; longer input is ignored.
const MAX_QUERY: usize = 100;

pub struct SearchState {
    pub query: String,
    /// Indices into `DashboardData::customers`, best first.
    pub results: Vec<usize>,
    /// The field each result was found by, in the order of `results`.
    pub matched: Vec<Matched>,
    pub selected: usize,
    /// Choosing a referrer for the customer form, not opening a card.
    pub picking: bool,
    /// Earlier queries of this typing and what each found, longest last,
    /// each extending the one before: typing on only tries what the last
    /// found, erasing goes back to one.
    narrowing: Vec<(String, Found)>,
    matcher: Matcher,
}

impl Default for SearchState {
    fn default() -> Self {
        crate::domain::phone::load_in_background();
        SearchState {
            query: String::new(),
            results: Vec::new(),
            matched: Vec::new(),
            selected: 0,
            picking: false,
            narrowing: Vec::new(),
            matcher: Matcher::new(nucleo_matcher::Config::DEFAULT),
        }
    }
}

impl std::fmt::Debug for SearchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchState")
            .field("query", &self.query)
            .field("results", &self.results)
            .field("selected", &self.selected)
            .finish()
    }
}

impl PartialEq for SearchState {
    fn eq(&self, other: &Self) -> bool {
        self.query == other.query
            && self.results == other.results
            && self.selected == other.selected
    }
}

impl SearchState {
    pub fn picker() -> SearchState {
        SearchState {
            picking: true,
            ..SearchState::default()
        }
    }

    pub fn type_char(&mut self, c: char, data: &DashboardData) {
        if self.query.chars().count() < MAX_QUERY && !c.is_control() {
            self.query.push(c);
            self.run(data);
        }
    }

    /// Pasted text (a phone number copied from elsewhere), searched once.
    pub fn paste(&mut self, text: &str, data: &DashboardData) {
        let room = MAX_QUERY.saturating_sub(self.query.chars().count());
        self.query
            .extend(text.chars().filter(|c| !c.is_control()).take(room));
        self.run(data);
    }

    pub fn erase(&mut self, data: &DashboardData) {
        self.query.pop();
        self.run(data);
    }

    /// Runs the query against the index (per keystroke): on the matches of
    /// the longest earlier query it extends, else on everything.
    fn run(&mut self, data: &DashboardData) {
        while let Some((previous, _)) = self.narrowing.last() {
            if previous == &self.query || search::narrows(previous, &self.query) {
                break;
            }
            self.narrowing.pop();
        }
        let matched = match self.narrowing.last() {
            Some((previous, matched)) if previous == &self.query => matched.clone(),
            _ => {
                let narrowed: Vec<&Found> = self.narrowing.iter().map(|(_, f)| f).collect();
                data.search
                    .matches(&self.query, &mut self.matcher, &narrowed, MAX_RESULTS)
            }
        };
        self.results = data.search.rank(&matched.hits, MAX_RESULTS);
        self.matched = data
            .search
            .matched_all(&self.results, &self.query, &mut self.matcher);
        if self.narrowing.last().is_none_or(|(q, _)| q != &self.query) {
            self.narrowing.push((self.query.clone(), matched));
        }
        self.selected = self.selected.min(self.results.len().saturating_sub(1));
    }

    /// After a reload: earlier matches refer to the old index.
    pub fn refresh(&mut self, data: &DashboardData) {
        self.narrowing.clear();
        self.run(data);
    }
}

/// The search box over the view on top, drawn from the frame's context.
pub fn draw_search(frame: &mut Frame, area: Rect, search: &SearchState, ctx: &DrawContext) {
    let s = ctx.strings;
    let width = area.width.saturating_sub(6).min(80);
    let height = area.height.saturating_sub(4).min(20);
    let rect = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + 2.min(area.height),
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    let block = Block::bordered().title(s.search_title);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [input, hint, list] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::raw("/ "),
            Span::styled(
                search.query.as_str(),
                Style::new().add_modifier(Modifier::BOLD),
            ),
            Span::raw("▏"),
        ])),
        input,
    );
    let hint_text = if ctx.data.pending {
        s.loading
    } else if search.query.trim().is_empty() {
        s.search_prompt
    } else if search.results.is_empty() {
        s.no_results
    } else {
        ""
    };
    frame.render_widget(
        Paragraph::new(hint_text).style(Style::new().add_modifier(Modifier::DIM)),
        hint,
    );
    let rows = usize::from(list.height);
    let start = search.selected.saturating_sub(rows.saturating_sub(1));
    let name_width = usize::from(list.width).saturating_sub(20).max(8);
    let lines: Vec<Line> = search
        .results
        .iter()
        .enumerate()
        .skip(start)
        .take(rows)
        .filter_map(|(i, &row)| {
            let c = ctx.data.customers.get(row)?;
            let mut label = if c.company.is_empty() {
                c.name.clone()
            } else {
                format!("{} · {}", c.name, c.company)
            };
            // The field the hit was found by, unless the label shows it.
            if let Some(
                Matched::Phone(text)
                | Matched::Email(text)
                | Matched::City(text)
                | Matched::Tag(text)
                | Matched::Ref(text),
            ) = search.matched.get(i)
            {
                label.push_str("  ");
                label.push_str(&clean(text));
            }
            let stage = if c.awaiting {
                super::rows::AWAITING
            } else {
                stage_name(ctx.lang, c.stage)
            };
            let text = format!("{:<name_width$} {stage}", ellipsize(&label, name_width));
            let style = if i == search.selected {
                Style::new().add_modifier(Modifier::REVERSED)
            } else {
                Style::new()
            };
            Some(Line::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}
