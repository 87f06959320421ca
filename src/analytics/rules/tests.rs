use chrono::{Days, NaiveDate};

use super::*;
use crate::domain::DayTotal;

const TODAY: &str = "2026-11-30";

fn today() -> NaiveDate {
    TODAY.parse().unwrap()
}

fn ago(days: u64) -> NaiveDate {
    today() - Days::new(days)
}

/// A customer who bought `purchases_ago` days before today and was contacted
/// `contacts_ago` days before today.
fn customer(purchases_ago: &[u64], contacts_ago: &[u64]) -> CustomerFacts {
    let mut days: Vec<DayTotal> = purchases_ago
        .iter()
        .map(|&n| DayTotal {
            date: ago(n),
            amount_cents: 1_000,
            is_purchase: true,
        })
        .collect();
    days.sort_by_key(|d| d.date);
    let mut interaction_dates: Vec<NaiveDate> = contacts_ago.iter().map(|&n| ago(n)).collect();
    interaction_dates.sort();
    CustomerFacts {
        id: 7,
        days,
        interaction_dates,
        ..Default::default()
    }
}

fn standing(stage: Stage) -> Standing {
    Standing {
        stage,
        segment: None,
        p_alive: None,
    }
}

fn only(rule: Rule) -> RulesConfig {
    let mut config = RulesConfig::default();
    config.thank_you.enabled = rule == Rule::ThankYou;
    config.check_in.enabled = rule == Rule::CheckIn;
    config.cooling_prospect.enabled = rule == Rule::CoolingProspect;
    config.at_risk.enabled = rule == Rule::AtRisk;
    config.cadence.enabled = rule == Rule::Cadence;
    config
}

fn run(rule: Rule, facts: CustomerFacts, standing: Standing) -> Vec<ProposedFollowUp> {
    propose(&[facts], &[standing], today(), &only(rule))
}

#[test]
fn rule_codes_round_trip() {
    for rule in Rule::ALL {
        assert_eq!(Rule::parse(rule.code()), Some(rule));
    }
    assert_eq!(Rule::parse("thank-you"), Some(Rule::ThankYou));
    assert_eq!(Rule::parse("thanks"), None);
}

#[test]
fn thank_you_within_thirty_days_of_the_first_purchase() {
    let found = run(
        Rule::ThankYou,
        customer(&[30], &[]),
        standing(Stage::Customer),
    );
    assert_eq!(
        found,
        vec![ProposedFollowUp {
            rule: Rule::ThankYou,
            customer_id: 7,
            anchor: ago(30),
            due: ago(27),
            figures: RuleFigures::ThankYou {
                first_purchase: ago(30),
            },
        }]
    );
    assert!(
        run(
            Rule::ThankYou,
            customer(&[31], &[]),
            standing(Stage::Customer)
        )
        .is_empty()
    );
}

#[test]
fn thank_you_is_owed_until_an_interaction_on_or_after_the_first_purchase() {
    let thanked_same_day = customer(&[10, 2], &[10]);
    assert!(run(Rule::ThankYou, thanked_same_day, standing(Stage::Regular)).is_empty());
    let contacted_before = customer(&[10], &[11]);
    assert_eq!(
        run(Rule::ThankYou, contacted_before, standing(Stage::Customer)).len(),
        1
    );
    // An interaction dated after today is not seen yet.
    let mut later = customer(&[10], &[]);
    later.interaction_dates.push(today() + Days::new(1));
    assert_eq!(
        run(Rule::ThankYou, later, standing(Stage::Customer)).len(),
        1
    );
}

#[test]
fn check_in_after_twice_the_median_gap() {
    // Gaps 20 and 40: median 30, limit max(30, 60) = 60 days.
    let at_limit = customer(&[120, 100, 60], &[]);
    assert!(run(Rule::CheckIn, at_limit, standing(Stage::Regular)).is_empty());
    let past_limit = customer(&[121, 101, 61], &[]);
    let found = run(Rule::CheckIn, past_limit, standing(Stage::Regular));
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].anchor, found[0].due), (ago(61), today()));
    assert_eq!(
        found[0].figures,
        RuleFigures::CheckIn {
            last_purchase: ago(61),
            median_gap_days: 30.0
        }
    );
}

#[test]
fn check_in_never_sooner_than_thirty_days() {
    // Gaps of 5 days: twice the median is 10, the floor of 30 days applies.
    let at_floor = customer(&[40, 35, 30], &[]);
    assert!(run(Rule::CheckIn, at_floor, standing(Stage::KeyCustomer)).is_empty());
    let past_floor = customer(&[41, 36, 31], &[]);
    assert_eq!(
        run(Rule::CheckIn, past_floor, standing(Stage::Advocate)).len(),
        1
    );
}

#[test]
fn check_in_compares_a_half_day_median_exactly() {
    // Gaps 10 and 21: median 15.5; three times it is 46.5 days.
    let mut config = only(Rule::CheckIn);
    config.check_in.gap_multiple = 3;
    let check = |since: u64| {
        let facts = customer(&[since + 31, since + 21, since], &[]);
        propose(&[facts], &[standing(Stage::Regular)], today(), &config)
    };
    assert!(check(46).is_empty());
    let found = check(47);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].figures,
        RuleFigures::CheckIn {
            last_purchase: ago(47),
            median_gap_days: 15.5
        }
    );
}

#[test]
fn check_in_only_for_regulars() {
    for stage in [Stage::Customer, Stage::Lapsed, Stage::Prospect] {
        assert!(run(Rule::CheckIn, customer(&[300, 200], &[]), standing(stage)).is_empty());
    }
}

#[test]
fn cooling_prospect_after_fourteen_days() {
    assert!(
        run(
            Rule::CoolingProspect,
            customer(&[], &[14]),
            standing(Stage::Prospect)
        )
        .is_empty()
    );
    let found = run(
        Rule::CoolingProspect,
        customer(&[], &[40, 15]),
        standing(Stage::Prospect),
    );
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].anchor, found[0].due), (ago(15), ago(1)));
    assert_eq!(
        found[0].figures,
        RuleFigures::CoolingProspect {
            last_contact: ago(15)
        }
    );
    assert!(
        run(
            Rule::CoolingProspect,
            customer(&[], &[]),
            standing(Stage::Prospect)
        )
        .is_empty()
    );
    assert!(
        run(
            Rule::CoolingProspect,
            customer(&[], &[20]),
            standing(Stage::Suspect)
        )
        .is_empty()
    );
}

#[test]
fn at_risk_for_key_customers_and_champions_below_one_half() {
    let with = |stage, segment, p_alive| Standing {
        stage,
        segment,
        p_alive,
    };
    let facts = || customer(&[200, 100], &[]);
    let found = run(
        Rule::AtRisk,
        facts(),
        with(Stage::KeyCustomer, None, Some(0.49)),
    );
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].anchor, found[0].due), (ago(100), today()));
    assert_eq!(
        found[0].figures,
        RuleFigures::AtRisk {
            who: Valued::KeyCustomer,
            p_alive: 0.49,
            last_purchase: ago(100)
        }
    );
    let champion = with(Stage::Regular, Some(Segment::Champions), Some(0.2));
    let found = run(Rule::AtRisk, facts(), champion);
    assert!(matches!(
        found[0].figures,
        RuleFigures::AtRisk {
            who: Valued::Champion,
            ..
        }
    ));
    let no_number = with(Stage::KeyCustomer, None, Some(f64::NAN));
    assert!(run(Rule::AtRisk, facts(), no_number).is_empty());
    let at_half = with(Stage::KeyCustomer, None, Some(0.5));
    assert!(run(Rule::AtRisk, facts(), at_half).is_empty());
    let not_fitted = with(Stage::KeyCustomer, Some(Segment::Champions), None);
    assert!(run(Rule::AtRisk, facts(), not_fitted).is_empty());
    let loyal = with(Stage::Regular, Some(Segment::Loyal), Some(0.1));
    assert!(run(Rule::AtRisk, facts(), loyal).is_empty());
}

#[test]
fn cadence_counts_from_the_last_interaction() {
    let mut facts = customer(&[100], &[50, 10]);
    facts.contact_every_days = Some(30);
    let found = run(Rule::Cadence, facts.clone(), standing(Stage::Customer));
    assert_eq!(found.len(), 1);
    assert_eq!(
        (found[0].anchor, found[0].due),
        (ago(10), today() + Days::new(20))
    );
    assert_eq!(
        found[0].figures,
        RuleFigures::Cadence {
            every_days: 30,
            from: CadenceFrom::Contact,
            since: ago(10)
        }
    );

    // A new interaction moves the anchor: a different follow-up.
    facts.interaction_dates.push(today());
    let reset = run(Rule::Cadence, facts, standing(Stage::Customer));
    assert_eq!(
        (reset[0].anchor, reset[0].due),
        (today(), today() + Days::new(30))
    );
}

#[test]
fn cadence_without_contact_counts_from_the_first_purchase() {
    let mut facts = customer(&[100, 40], &[]);
    facts.contact_every_days = Some(30);
    let found = run(Rule::Cadence, facts, standing(Stage::Regular));
    assert_eq!((found[0].anchor, found[0].due), (ago(100), ago(70)));
    assert!(matches!(
        found[0].figures,
        RuleFigures::Cadence {
            from: CadenceFrom::FirstPurchase,
            ..
        }
    ));

    let mut unknown = customer(&[], &[]);
    unknown.contact_every_days = Some(30);
    assert!(run(Rule::Cadence, unknown, standing(Stage::Suspect)).is_empty());
}

#[test]
fn disabled_rules_propose_nothing() {
    let mut facts = customer(&[5], &[]);
    facts.contact_every_days = Some(7);
    let all = propose(
        &[facts.clone()],
        &[standing(Stage::Customer)],
        today(),
        &RulesConfig::default(),
    );
    let rules: Vec<Rule> = all.iter().map(|p| p.rule).collect();
    assert_eq!(rules, vec![Rule::ThankYou, Rule::Cadence]);
    let mut config = RulesConfig::default();
    config.thank_you.enabled = false;
    config.cadence.enabled = false;
    assert!(propose(&[facts], &[standing(Stage::Customer)], today(), &config).is_empty());
}

#[test]
fn config_fills_what_is_left_out_with_defaults() {
    let config: RulesConfig =
        toml::from_str("[check_in]\nmin_days = 45\n[at_risk]\nenabled = false\n").unwrap();
    assert_eq!(config.check_in.min_days, 45);
    assert_eq!(config.check_in.gap_multiple, 2);
    assert!(!config.at_risk.enabled);
    assert_eq!(config.at_risk.p_alive_below, 0.5);
    assert_eq!(config.thank_you, ThankYouRule::default());
}

#[test]
fn config_refuses_a_setting_it_does_not_know() {
    let unknown: Result<RulesConfig, _> = toml::from_str("[check_in]\nmin_dayz = 45\n");
    assert!(unknown.is_err());
    let unknown: Result<RulesConfig, _> = toml::from_str("expire_after = 3\n");
    assert!(unknown.is_err());
    let config: RulesConfig = toml::from_str("expire_after_days = 60\n").unwrap();
    assert_eq!(config.expire_after_days, 60);
    assert_eq!(RulesConfig::default().expire_after_days, 30);
}

fn generated(rule: Option<&str>, due: NaiveDate, status: FollowUpStatus) -> FollowUp {
    FollowUp {
        id: 1,
        customer_id: 7,
        due,
        status,
        rule: rule.map(str::to_string),
        anchor: None,
        figures: None,
        reason: String::new(),
        note: String::new(),
        created_at: chrono::DateTime::<chrono::Utc>::default(),
        done_at: None,
        created_by: None,
        acted_by: None,
    }
}

#[test]
fn a_rules_follow_up_expires_when_more_than_thirty_days_overdue() {
    let open = FollowUpStatus::Open;
    // 2026-10-31 is exactly 30 days before 2026-11-30; 2026-10-30 is 31.
    let thirty: NaiveDate = "2026-10-31".parse().unwrap();
    let thirty_one: NaiveDate = "2026-10-30".parse().unwrap();
    assert_eq!((today() - thirty).num_days(), 30);
    assert!(!is_expired(
        &generated(Some("check-in"), thirty, open),
        today(),
        30
    ));
    assert!(is_expired(
        &generated(Some("check-in"), thirty_one, open),
        today(),
        30
    ));
    // Written by hand: never, however late.
    assert!(!is_expired(&generated(None, ago(3000), open), today(), 30));
    // Done is done, not expired.
    assert!(!is_expired(
        &generated(Some("cadence"), ago(3000), FollowUpStatus::Done),
        today(),
        30
    ));
    // The setting moves the line: 31 days is within 31.
    assert!(!is_expired(
        &generated(Some("check-in"), thirty_one, open),
        today(),
        31
    ));
    // Across a month end and a leap day: 2028-03-31 is 31 days after 2028-02-29.
    let leap: NaiveDate = "2028-02-29".parse().unwrap();
    let later: NaiveDate = "2028-03-31".parse().unwrap();
    assert!(is_expired(
        &generated(Some("at-risk"), leap, open),
        later,
        30
    ));
    assert!(!is_expired(
        &generated(Some("at-risk"), leap, open),
        later - Days::new(1),
        30
    ));
}
