//! One demo customer at a time: who they are, what they bought, what was said
//! and what is owed to them, written through the bulk writer.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use crate::domain::{CustomerId, Direction, InteractionKind, Source};
use crate::store::StoreError;
use crate::store::bulk::{BulkWriter, CustomerRow, OrderRow};

use super::DemoSummary;
use super::history::{self, Calendar, Habit, Kind};
use super::names::{self, NameLists, Person};
use super::rng::Rng;
use super::texts;

/// What phase one decided for a customer; ids follow `start`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub(crate) kind: Kind,
    /// First activity: first purchase, first contact, or when they were listed.
    pub(crate) start: i32,
}

/// Draws every customer's archetype and first day, sorted by first day so that
/// ids (and refs) grow with time and a referrer always came before.
pub(crate) fn plans(count: u32, calendar: &Calendar, rng: &mut Rng) -> Vec<Plan> {
    let mut plans: Vec<Plan> = (0..count)
        .map(|_| {
            let kind = [
                Kind::Suspect,
                Kind::Prospect,
                Kind::OneTime,
                Kind::Regular,
                Kind::BigSpender,
            ][rng.weighted(&[8, 8, 35, 45, 4])];
            let start = match kind {
                Kind::Suspect => rng.range(0, i64::from(calendar.last_day())) as i32,
                Kind::Prospect => calendar.recent_day(rng, 730),
                // Those still buying today mostly came early on.
                Kind::Regular | Kind::BigSpender => calendar.acquisition_day(rng, 0.3),
                Kind::OneTime => calendar.acquisition_day(rng, 0.5),
            };
            Plan { kind, start }
        })
        .collect();
    // Stable: equal days keep their drawing order, so the result is determined.
    plans.sort_by_key(|p| p.start);
    plans
}

/// State carried from one customer to the next.
pub(crate) struct Generator<'a> {
    pub(super) calendar: &'a Calendar,
    lists: &'a NameLists,
    pub(super) rng: Rng,
    /// Customers with a purchase, who can refer others.
    buyers: Vec<CustomerId>,
    /// Buyers who came by referral themselves: picking them builds chains.
    referred_buyers: Vec<CustomerId>,
    advocates: Vec<CustomerId>,
    web_orders: u64,
    emails_taken: HashSet<String>,
    /// Normalized numbers already given out.
    phones_taken: HashSet<String>,
    pub(crate) summary: DemoSummary,
    // Buffers reused for every customer.
    pub(super) days: Vec<i32>,
    pub(super) contacts: Vec<(i32, u32, InteractionKind, Option<Direction>, &'static str)>,
    external_id: String,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(calendar: &'a Calendar, lists: &'a NameLists, rng: Rng) -> Generator<'a> {
        Generator {
            calendar,
            lists,
            rng,
            buyers: Vec::new(),
            referred_buyers: Vec::new(),
            advocates: Vec::new(),
            web_orders: 0,
            emails_taken: HashSet::new(),
            phones_taken: HashSet::new(),
            summary: DemoSummary::default(),
            days: Vec::new(),
            contacts: Vec::new(),
            external_id: String::new(),
        }
    }

    pub(crate) fn customer(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
        plan: Plan,
    ) -> Result<(), StoreError> {
        let rng = &mut self.rng;
        let kind = plan.kind;
        let habit = Habit::draw(kind, rng);
        history::purchase_days(kind, plan.start, &habit, self.calendar, rng, &mut self.days);

        let person = self.lists.person(rng);
        let company_share = if kind == Kind::BigSpender { 0.4 } else { 0.13 };
        let company = rng
            .chance(company_share)
            .then(|| names::company(&person, rng));
        let mut emails = if rng.chance(if kind == Kind::Suspect { 0.7 } else { 0.92 }) {
            names::emails(&person, company.as_deref(), rng)
        } else {
            Vec::new()
        };
        for email in &mut emails {
            self.claim_email(email);
        }
        let phones = self.draw_phones(&person);
        let rng = &mut self.rng;
        let city = rng.chance(0.92).then(|| self.lists.city(rng));
        let address = rng.chance(0.6).then(|| self.lists.address(rng));

        let source = self.source(kind);
        let referred_by = match source {
            Some(Source::Referral) => self.referrer(),
            _ => None,
        };
        let rng = &mut self.rng;
        let prospect = kind == Kind::Prospect && rng.chance(0.7);
        let advocate = kind.buys() && kind != Kind::OneTime && rng.chance(0.02);
        let consent = rng.chance(match kind {
            Kind::Regular | Kind::BigSpender => 0.65,
            _ => 0.35,
        });

        let tags = draw_tags(kind, company.is_some(), consent, rng);
        let notes = if rng.chance(0.08) {
            rng.pick(texts::CUSTOMER_NOTES)
        } else {
            ""
        };
        let cadence_share = match kind {
            Kind::BigSpender => 0.3,
            _ if company.is_some() => 0.05,
            _ => 0.005,
        };
        // Nobody keeps a contact rhythm with someone never contacted.
        let contact_every_days = (kind != Kind::Suspect && rng.chance(cadence_share))
            .then(|| rng.pick(&[14, 30, 60, 90]));

        self.draw_contacts(kind, plan.start, prospect, contact_every_days);
        let last_day = self
            .days
            .last()
            .copied()
            .into_iter()
            .chain(self.contacts.last().map(|c| c.0))
            .fold(plan.start, i32::max);
        let created_at = self.instant(plan.start);
        let updated_at = self.instant(last_day).max(created_at);
        let reference = format!("K{id:06}");
        let name = person.full_name();
        w.insert_customer(&CustomerRow {
            id,
            reference: &reference,
            name: &name,
            company: company.as_deref(),
            address: address.as_deref(),
            city,
            source,
            referred_by,
            prospect,
            advocate,
            marketing_consent: consent,
            notes,
            contact_every_days,
            created_at,
            updated_at,
            emails: &emails,
            phones: &phones,
            tags: &tags,
        })?;
        self.summary.customers += 1;

        let online = tags.contains(&"online");
        self.write_orders(w, id, &habit, source == Some(Source::Offer), online)?;
        self.write_contacts(w, id)?;
        self.write_followups(w, id, plan)?;
        self.write_worked_followups(w, id, kind, prospect, contact_every_days)?;

        if kind.buys() {
            self.buyers.push(id);
            if referred_by.is_some() {
                self.referred_buyers.push(id);
            }
            if advocate {
                self.advocates.push(id);
            }
        }
        Ok(())
    }

    /// None, one or two numbers, each given to no other customer: a taken
    /// number is drawn again, and the few tries left over mean one number
    /// fewer, which is realistic too.
    fn draw_phones(&mut self, person: &Person) -> Vec<(String, String)> {
        let count = [0, 1, 2][self.rng.weighted(&[15, 75, 10])];
        let mut phones = Vec::with_capacity(count);
        for _ in 0..count {
            for _ in 0..5 {
                let phone = names::phone(person, &mut self.rng);
                if self.phones_taken.insert(phone.1.clone()) {
                    phones.push(phone);
                    break;
                }
            }
        }
        phones
    }

    /// People do not share an email address: a taken one gets a number, as
    /// it would have when the customer signed up (`aino.laine2@gmail.com`).
    fn claim_email(&mut self, email: &mut String) {
        if self.emails_taken.insert(email.clone()) {
            return;
        }
        let Some((local, domain)) = email.split_once('@') else {
            return;
        };
        let (local, domain) = (local.to_string(), domain.to_string());
        for n in 2.. {
            let candidate = format!("{local}{n}@{domain}");
            if self.emails_taken.insert(candidate.clone()) {
                *email = candidate;
                return;
            }
        }
    }

    /// Walk-ins most; a referral needs someone earlier who bought.
    fn source(&mut self, kind: Kind) -> Option<Source> {
        let rng = &mut self.rng;
        let source = match kind {
            Kind::Suspect => {
                [None, Some(Source::Campaign), Some(Source::Other)][rng.weighted(&[30, 45, 25])]
            }
            _ => Some(Source::ALL[rng.weighted(&[18, 42, 14, 14, 12])]),
        };
        match source {
            Some(Source::Referral) if self.buyers.is_empty() => Some(Source::WalkIn),
            other => other,
        }
    }

    fn referrer(&mut self) -> Option<CustomerId> {
        let rng = &mut self.rng;
        let pool = match rng.weighted(&[25, 35, 40]) {
            0 if !self.advocates.is_empty() => &self.advocates,
            1 if !self.referred_buyers.is_empty() => &self.referred_buyers,
            _ => &self.buyers,
        };
        (!pool.is_empty()).then(|| rng.pick(pool))
    }

    /// A UTC instant during opening hours (09-18 Finnish time) on a day.
    pub(super) fn instant(&mut self, day: i32) -> NaiveDateTime {
        let seconds = self.rng.range(6 * 3600, 16 * 3600 - 1) as u32;
        at(self.calendar.date(day), seconds)
    }

    fn write_orders(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
        habit: &Habit,
        offer: bool,
        online: bool,
    ) -> Result<(), StoreError> {
        let web_share = if online { 0.8 } else { 0.15 };
        let discount_share = if offer { 0.55 } else { 0.06 };
        for index in 0..self.days.len() {
            let day = self.days[index];
            let date = self.calendar.date(day);
            // Now and then a second basket on the same day.
            let baskets = if self.rng.chance(0.05) { 2 } else { 1 };
            for _ in 0..baskets {
                let rng = &mut self.rng;
                let (amount, quantity) = history::basket(habit, rng);
                let discount = rng.chance(if index == 0 && offer {
                    0.9
                } else {
                    discount_share
                });
                let note = rng.chance(0.04).then(|| rng.pick(texts::ORDER_NOTES));
                let web = rng.chance(web_share);
                if web {
                    self.web_orders += 1;
                    self.external_id.clear();
                    // Writing into a String cannot fail.
                    let _ = write!(self.external_id, "W{:07}", self.web_orders);
                }
                let created_at = self.instant(day);
                w.insert_order(&OrderRow {
                    customer_id: id,
                    order_date: date,
                    amount_cents: amount,
                    quantity: Some(quantity),
                    external_id: web.then_some(self.external_id.as_str()),
                    discount,
                    note,
                    created_at,
                })?;
                self.summary.orders += 1;

                if self.rng.chance(0.02) {
                    self.write_refund(w, id, day, amount, quantity, discount)?;
                }
            }
        }
        Ok(())
    }

    /// A refund of all or part of an order, on its day or within two weeks.
    fn write_refund(
        &mut self,
        w: &mut BulkWriter<'_>,
        id: CustomerId,
        day: i32,
        amount: i64,
        quantity: i64,
        discount: bool,
    ) -> Result<(), StoreError> {
        let rng = &mut self.rng;
        let (refund, returned) = if rng.chance(0.6) {
            (amount, quantity)
        } else {
            let part = amount as f64 * (0.2 + 0.4 * rng.unit());
            (((part / 10.0).round() as i64 * 10).max(100), 1)
        };
        let refund_day = (day + rng.range(0, 14) as i32).min(self.calendar.last_day());
        let note = rng.pick(texts::REFUND_NOTES);
        let created_at = self.instant(refund_day);
        w.insert_order(&OrderRow {
            customer_id: id,
            order_date: self.calendar.date(refund_day),
            amount_cents: -refund,
            quantity: Some(-returned),
            external_id: None,
            discount,
            note: Some(note),
            created_at,
        })?;
        self.summary.orders += 1;
        Ok(())
    }
}

pub(super) fn at(date: NaiveDate, seconds: u32) -> NaiveDateTime {
    let time = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or_default();
    date.and_time(time)
}

fn draw_tags(kind: Kind, company: bool, consent: bool, rng: &mut Rng) -> Vec<&'static str> {
    let mut tags = Vec::new();
    if kind == Kind::BigSpender && rng.chance(0.8) {
        tags.push("vip");
    }
    if company {
        tags.push("b2b");
        if rng.chance(0.3) {
            tags.push("wholesale");
        }
    }
    if consent && rng.chance(0.6) {
        tags.push("newsletter");
    }
    for _ in 0..rng.weighted(&[50, 35, 15]) {
        tags.push(rng.pick(texts::TAGS));
    }
    tags.sort_unstable();
    tags.dedup();
    tags
}
