//! Reading and writing the file formats of SPEC section 7 (CSV, vCard, Shopify),
//! as pure functions over bytes. Nothing here touches the store.
