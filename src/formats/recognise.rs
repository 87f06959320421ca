//! Recognising the exports of shops, payment services and address books by
//! their header, and the sentences for those an import does not read.

use super::Header;

/// A file kanta knows by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Export {
    /// Shopify's orders export (Orders > Export).
    Shopify,
    /// WooCommerce's order export (the Customer / Order / Coupon Export
    /// extension and order export plugins writing its column names).
    WooCommerce,
    /// WooCommerce's Analytics > Orders download: no emails.
    WooAnalytics,
    /// Stripe's payments export (Payments > Export).
    Stripe,
    /// PayPal's activity download (Activity > Statements > Activity download).
    PayPal,
    /// Google Contacts' CSV, the form written since 2020 (`First Name`, `Labels`).
    GoogleContacts,
    /// Google Contacts' older CSV (`Given Name`, `Group Membership`).
    GoogleContactsOld,
    /// Outlook's contacts CSV (desktop and Outlook.com).
    Outlook,
}

/// The export a header belongs to, if kanta knows it.
pub(crate) fn recognise(header: &Header) -> Option<Export> {
    let shopify = header.has_all(&["name", "financial status", "lineitem name"])
        && header.any(&["created at"]).is_some();
    let woocommerce =
        header.has_all(&["order_id", "order_total", "status"]) && header.has_all(&["order_date"]);
    let woo_analytics = header.has_all(&["order #", "customer type", "net sales"]);
    let stripe = header.has_all(&["amount", "amount refunded", "status"])
        && header
            .any(&["created date (utc)", "created (utc)", "created"])
            .is_some()
        && header.any(&["customer email", "customer id"]).is_some();
    let paypal = header.has_all(&["gross", "fee", "net", "transaction id"]);
    let google = header.has_all(&["first name", "last name"])
        && header
            .any(&["e-mail 1 - value", "phone 1 - value", "labels"])
            .is_some();
    let google_old = header.has_all(&["given name", "family name"])
        && header
            .any(&["e-mail 1 - value", "phone 1 - value", "group membership"])
            .is_some();
    let outlook = header.has_all(&["first name", "last name"])
        && header
            .any(&[
                "e-mail address",
                "mobile phone",
                "business phone",
                "home phone",
            ])
            .is_some();
    [
        (shopify, Export::Shopify),
        (woocommerce, Export::WooCommerce),
        (woo_analytics, Export::WooAnalytics),
        (stripe, Export::Stripe),
        (paypal, Export::PayPal),
        (google, Export::GoogleContacts),
        (google_old, Export::GoogleContactsOld),
        (outlook, Export::Outlook),
    ]
    .into_iter()
    .find_map(|(is, export)| is.then_some(export))
}

impl Export {
    /// What the file is, in the words of the service that wrote it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Export::Shopify => "a Shopify orders export",
            Export::WooCommerce => "a WooCommerce order export",
            Export::WooAnalytics => "WooCommerce's Analytics \"Orders\" download",
            Export::Stripe => "a Stripe payments export",
            Export::PayPal => "a PayPal activity download",
            Export::GoogleContacts | Export::GoogleContactsOld => "a Google Contacts CSV",
            Export::Outlook => "an Outlook contacts CSV",
        }
    }

    fn holds_orders(self) -> bool {
        matches!(
            self,
            Export::Shopify
                | Export::WooCommerce
                | Export::WooAnalytics
                | Export::Stripe
                | Export::PayPal
        )
    }

    /// Why `kanta import orders` does not read this file, if it does not.
    pub(crate) fn refused_as_orders(self) -> Option<String> {
        match self {
            Export::WooAnalytics => Some(format!(
                "this is {}, which has no customer emails to know the customers by; \
                 export the orders with WooCommerce's order export instead (its columns \
                 order_id, order_date, status, order_total, billing_email)",
                self.name()
            )),
            Export::PayPal => Some(format!(
                "this is {}, which kanta does not read: it lists payments, fees, refunds \
                 and transfers alike, not orders; export the orders from your shop \
                 (Shopify, WooCommerce) instead, or save the payments as an orders CSV \
                 with the columns customer, date and amount",
                self.name()
            )),
            _ if !self.holds_orders() => Some(format!(
                "this is {}, a file of contacts, not orders; import it with \
                 `kanta import contacts`",
                self.name()
            )),
            _ => None,
        }
    }

    /// Why `kanta import contacts` does not read this file, if it does not.
    pub(crate) fn refused_as_contacts(self) -> Option<String> {
        match self {
            Export::PayPal | Export::WooAnalytics => self.refused_as_orders(),
            _ if self.holds_orders() => Some(format!(
                "this is {}, a file of orders, not contacts; import it with \
                 `kanta import orders`, which adds its customers too",
                self.name()
            )),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(line: &str) -> Header {
        Header::new(line.split(',').map(str::as_bytes))
    }

    #[test]
    fn each_export_is_known_by_its_header_alone() {
        let cases = [
            (
                "Name,Email,Financial Status,Paid at,Total,Created at,Lineitem quantity,Lineitem name",
                Some(Export::Shopify),
            ),
            (
                "order_id,order_number,order_date,status,order_total,refunded_total,billing_email",
                Some(Export::WooCommerce),
            ),
            (
                "Date,Order #,Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net sales",
                Some(Export::WooAnalytics),
            ),
            (
                "id,Created date (UTC),Amount,Amount Refunded,Currency,Status,Customer Email",
                Some(Export::Stripe),
            ),
            (
                "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,From Email Address,Transaction ID",
                Some(Export::PayPal),
            ),
            (
                "First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value",
                Some(Export::GoogleContacts),
            ),
            (
                "Name,Given Name,Additional Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value",
                Some(Export::GoogleContactsOld),
            ),
            (
                "First Name,Middle Name,Last Name,E-mail Address,Mobile Phone",
                Some(Export::Outlook),
            ),
            ("customer,date,amount,email,name", None),
            ("ref,name,email,phone,city", None),
        ];
        for (line, expected) in cases {
            assert_eq!(recognise(&header(line)), expected, "{line}");
        }
    }

    #[test]
    fn refusals_name_the_file_and_what_to_do() {
        let paypal = Export::PayPal.refused_as_orders().unwrap();
        assert!(paypal.contains("PayPal activity download"), "{paypal}");
        assert!(
            paypal.contains("export the orders from your shop"),
            "{paypal}"
        );
        let analytics = Export::WooAnalytics.refused_as_orders().unwrap();
        assert!(analytics.contains("order export"), "{analytics}");
        assert!(Export::Shopify.refused_as_orders().is_none());
        assert!(Export::GoogleContacts.refused_as_contacts().is_none());
        let wrong_way = Export::Outlook.refused_as_orders().unwrap();
        assert!(wrong_way.contains("kanta import contacts"), "{wrong_way}");
        let wrong_way = Export::Stripe.refused_as_contacts().unwrap();
        assert!(wrong_way.contains("kanta import orders"), "{wrong_way}");
    }
}
