//! The reference results in tests/refdata, the repository's own copy (its
//! README says which simulator made each file and how).

use std::path::PathBuf;

/// A file of tests/refdata.
pub fn refdata(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/refdata")
        .join(path)
}

/// A JSON file of tests/refdata.
pub fn json(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(refdata(path)).expect("refdata file");
    serde_json::from_str(&text).expect("valid JSON")
}
