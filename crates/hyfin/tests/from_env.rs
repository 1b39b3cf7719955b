//! `HyfinConfig::from_env` and `HYFIN_CUSTOMER_API`. The only test of this binary, so that
//! changing the environment races with no other thread.

use billsync_core::ErrorKind;
use billsync_hyfin::{HyfinConfig, HyfinCustomerApi};

fn set(name: &str, value: &str) {
    // SAFETY: this test binary runs one test, on one thread that reads the environment.
    unsafe { std::env::set_var(name, value) };
}

#[test]
fn the_customer_api_comes_from_hyfin_customer_api() {
    set("HYFIN_BASE_URL", "https://partner.hyfin.test");
    set("HYFIN_SITE_ID", "site-9");
    set("HYFIN_API_TOKEN", "env-secret-token");

    // SAFETY: as in `set`.
    unsafe { std::env::remove_var("HYFIN_CUSTOMER_API") };
    assert_eq!(
        HyfinConfig::from_env().unwrap().customer_api(),
        HyfinCustomerApi::V4,
        "v4 is the default"
    );
    set("HYFIN_CUSTOMER_API", "v3");
    let config = HyfinConfig::from_env().unwrap();
    assert_eq!(config.customer_api(), HyfinCustomerApi::V3);
    assert!(format!("{config:?}").contains("V3"));
    assert!(!format!("{config:?}").contains("env-secret-token"));

    set("HYFIN_CUSTOMER_API", "v3.1");
    let err = HyfinConfig::from_env().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.to_string().contains("HYFIN_CUSTOMER_API"), "{err}");
    assert!(err.to_string().contains("`v4` or `v3`"), "{err}");
}
