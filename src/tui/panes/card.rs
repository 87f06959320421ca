//! The customer card: contact, stage, RFM, P(alive), purchases, contacts,
//! follow-ups and referrals.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Sparkline, Wrap};

use crate::i18n::{Lang, segment_name, stage_name};
use crate::tui::app::{App, CardState};
use crate::tui::data::{CardChurn, CardData};
use crate::tui::text::{date, money, terminal_safe};

use super::stage_color;

fn field<'a>(label: &'a str, value: String) -> Line<'a> {
    Line::from(vec![
        Span::styled(
            format!("{label:<13}"),
            Style::new().add_modifier(Modifier::DIM),
        ),
        Span::raw(value),
    ])
}

fn joined(items: &[String]) -> String {
    items
        .iter()
        .map(|x| terminal_safe(x))
        .collect::<Vec<_>>()
        .join(", ")
}

fn heading(text: &str) -> Line<'_> {
    Line::styled(text, Style::new().add_modifier(Modifier::BOLD))
}

pub fn draw_card(frame: &mut Frame, area: Rect, app: &App, card: &CardState) {
    let s = app.strings();
    let Some(data) = card.data.as_ref() else {
        frame.render_widget(
            Paragraph::new(s.loading).block(Block::bordered().title(s.card_title)),
            area,
        );
        return;
    };
    let c = &data.customer;
    let block = Block::bordered().title(format!(
        "{}: {} ({})",
        s.card_title,
        terminal_safe(&c.name),
        terminal_safe(&c.reference)
    ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(inner);
    draw_contact(frame, left, app, data);
    draw_figures(frame, right, app, data);
}

fn draw_contact(frame: &mut Frame, area: Rect, app: &App, data: &CardData) {
    let s = app.strings();
    let c = &data.customer;
    let none = || s.none.to_string();
    let opt = |v: &Option<String>| {
        v.as_deref()
            .map(|x| terminal_safe(x).into_owned())
            .unwrap_or_else(none)
    };
    let address = match (&c.address, &c.city) {
        (None, None) => none(),
        (a, b) => [a.as_deref(), b.as_deref()]
            .into_iter()
            .flatten()
            .map(|x| terminal_safe(x).into_owned())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let or_none = |v: String| if v.is_empty() { none() } else { v };
    let mut lines = vec![
        heading(s.contact),
        field(s.company, opt(&c.company)),
        field(s.emails, or_none(joined(&c.emails))),
        field(s.phones, or_none(joined(&c.phones))),
        field(s.address, address),
        field(s.tags, or_none(joined(&c.tags))),
        field(
            s.source,
            c.source.map_or_else(none, |x| x.code().to_string()),
        ),
        field(
            s.referred_by,
            data.referred_by
                .as_ref()
                .map_or_else(none, |(_, name)| name.clone()),
        ),
        field(
            s.referred,
            or_none(
                data.referred
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ),
    ];
    if !c.notes.trim().is_empty() {
        lines.push(field(s.notes, terminal_safe(&c.notes).into_owned()));
    }
    lines.push(Line::raw(""));
    lines.push(heading(s.open_followups));
    if data.followups.is_empty() {
        lines.push(Line::raw(s.none));
    }
    for f in &data.followups {
        lines.push(Line::raw(format!(
            "{}  {}",
            date(f.due, app.lang),
            terminal_safe(&f.reason)
        )));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

fn rfm_text(app: &App, id: i64) -> (String, String) {
    let s = app.strings();
    match app.data.row(id).and_then(|r| r.rfm.zip(Some(r.segment))) {
        Some(((r, f, m), segment)) => (
            format!("{r} / {f} / {m}"),
            segment.map_or_else(
                || s.none.to_string(),
                |sg| segment_name(app.lang, sg).to_string(),
            ),
        ),
        None => (s.none.to_string(), s.none.to_string()),
    }
}

fn draw_figures(frame: &mut Frame, area: Rect, app: &App, data: &CardData) {
    let s = app.strings();
    let lang = app.lang;
    let currency = &app.data.currency;
    let row = app.data.row(data.customer.id);
    let [summary, spark, lists] = Layout::vertical([
        Constraint::Length(9),
        Constraint::Length(4),
        Constraint::Min(0),
    ])
    .areas(area);
    let (scores, segment) = rfm_text(app, data.customer.id);
    let stage = row.map(|r| r.stage);
    let purchases = row.map_or_else(
        || s.none.to_string(),
        |r| {
            format!(
                "{} {}, {}",
                r.frequency,
                s.purchase_days,
                money(r.monetary_cents, lang, currency)
            )
        },
    );
    let span = match row.and_then(|r| r.first_purchase.zip(r.last_purchase)) {
        Some((a, b)) => format!("{} – {}", date(a, lang), date(b, lang)),
        None => s.none.to_string(),
    };
    let lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{:<13}", s.stage),
                Style::new().add_modifier(Modifier::DIM),
            ),
            Span::styled(
                stage.map_or(s.none, |st| stage_name(lang, st)),
                Style::new().fg(stage.map_or(ratatui::style::Color::Reset, stage_color)),
            ),
        ]),
        field(s.rfm_scores, scores),
        field(s.segment, segment),
        field(s.p_alive, p_alive_text(app, row.and_then(|r| r.p_alive))),
        field(
            s.expected_90d,
            expected_text(app, row.and_then(|r| r.expected_90d)),
        ),
        Line::from(vec![
            Span::styled(
                format!("{:<12} ", s.expected_365d),
                Style::new().add_modifier(Modifier::DIM),
            ),
            Span::raw(expected_text(app, data.churn.map(|c| c.expected_365d))),
        ]),
        Line::from(vec![
            Span::styled(
                format!("{} ", s.expected_revenue_365d),
                Style::new().add_modifier(Modifier::DIM),
            ),
            Span::raw(CardChurn::revenue_text(data.churn.as_ref(), lang, currency)),
        ]),
        field(s.purchases, purchases),
        field("", span),
    ];
    frame.render_widget(Paragraph::new(lines), summary);
    frame.render_widget(
        Sparkline::default()
            .block(Block::new().title(s.monthly_revenue))
            .data(&data.monthly_revenue),
        spark,
    );
    let mut lines = vec![heading(s.purchases)];
    let half = usize::from(lists.height / 2).max(2);
    for o in data.orders.iter().take(half.saturating_sub(1)) {
        lines.push(Line::raw(format!(
            "{}  {:>14}  {}",
            date(o.order_date, lang),
            money(o.amount_cents, lang, currency),
            o.note.as_deref().map(terminal_safe).unwrap_or_default()
        )));
    }
    lines.push(heading(s.interactions));
    for i in &data.interactions {
        let local = i.at.with_timezone(&chrono::Local).date_naive();
        lines.push(Line::raw(format!(
            "{}  {:<8} {}",
            date(local, lang),
            interaction_kind(lang, i.kind),
            terminal_safe(&i.text)
        )));
    }
    frame.render_widget(Paragraph::new(lines), lists);
}

fn interaction_kind(lang: Lang, kind: crate::domain::InteractionKind) -> &'static str {
    use crate::domain::InteractionKind as K;
    match (lang, kind) {
        (Lang::En, k) => k.code(),
        (Lang::Fi, K::Call) => "puhelu",
        (Lang::Fi, K::Email) => "sposti",
        (Lang::Fi, K::Meeting) => "tapaaminen",
        (Lang::Fi, K::Note) => "muistio",
    }
}

/// Expected purchase days in the next 90 days, from the churn model.
fn expected_text(app: &App, expected: Option<f64>) -> String {
    let s = app.strings();
    match expected {
        Some(e) => {
            let number = format!("{e:.2}");
            let number = match app.lang {
                crate::i18n::Lang::Fi => number.replace('.', ","),
                crate::i18n::Lang::En => number,
            };
            format!("{number} {}", s.purchase_days_unit)
        }
        None => s.none.to_string(),
    }
}

/// P(alive) as a percentage; when the model is not fitted, why.
fn p_alive_text(app: &App, p: Option<f64>) -> String {
    let s = app.strings();
    match (p, &app.data.churn_unfitted) {
        (Some(p), _) => format!("{:.0} %", p * 100.0),
        (None, Some(reason)) => format!("{} ({reason})", s.none),
        (None, None) => s.none.to_string(),
    }
}
