//! Issue 23, the period close report: what a close locked (every account's totals at the close
//! date, the period's entries by kind) and the voucher number and hash of the last sealed entry
//! at the close. Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, key, sealed_journal, M};
use serde_json::json;

#[test]
fn a_close_reports_what_it_locked() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let ctl = s.client("controller", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        fin.entry(&key(), "2025-01-10", &bank, &eq, "100.00")
            .ok(201);
        fin.entry(&key(), "2025-01-20", &bank, &eq, "50.00").ok(201);
        let sealed = sealed_journal(&fin, 2);
        ctl.post("/v1/periods/close", &json!({"through": "2025-01-31"}))
            .ok(201);
        fin.entry(&key(), "2025-02-05", &bank, &eq, "25.00").ok(201);
        let feb = fin
            .entry(&key(), "2025-02-06", &bank, &eq, "5.00")
            .ok(201)
            .clone();
        fin.post_idem(
            &format!(
                "/v1/journal-entries/{}/reverse",
                feb["id"].as_str().unwrap()
            ),
            &key(),
            &json!({}),
        )
        .ok(201);
        let all = sealed_journal(&fin, 5);
        ctl.post("/v1/periods/close", &json!({"through": "2025-02-28"}))
            .ok(201);
        // Booked after the close: not in the report's last sealed entry.
        fin.entry(&key(), "2025-03-01", &bank, &eq, "1.00").ok(201);
        sealed_journal(&fin, 6);

        let jan = ctl.get("/v1/periods/2025-01-31/report").ok(200).clone();
        assert_eq!(jan["period_from"], json!(null));
        assert_eq!(jan["entries_by_kind"], json!({"manual": 2}));
        assert_eq!(jan["last_seq"], sealed[1]["seq"]);
        assert_eq!(jan["last_hash"], sealed[1]["hash"]);
        let bank_line = |r: &serde_json::Value| {
            r["accounts"]
                .as_array()
                .unwrap()
                .iter()
                .find(|a| a["code"] == "1000")
                .unwrap()
                .clone()
        };
        assert_eq!(bank_line(&jan)["debits"], "150.00");

        let feb = ctl.get("/v1/periods/2025-02-28/report").ok(200).clone();
        assert_eq!(feb["period_from"], "2025-02-01");
        assert_eq!(feb["entries_by_kind"], json!({"manual": 2, "reversal": 1}));
        // 150 + 25 + 5 debited, 5 credited back by the reversal.
        let b = bank_line(&feb);
        assert_eq!(
            (
                b["debits"].as_str(),
                b["credits"].as_str(),
                b["balance"].as_str()
            ),
            (Some("180.00"), Some("5.00"), Some("175.00"))
        );
        assert_eq!(feb["last_seq"], all[4]["seq"]);
        assert_eq!(feb["last_hash"], all[4]["hash"]);

        ctl.get("/v1/periods/2025-03-31/report")
            .problem(404, "period_close_not_found");
        ctl.get("/v1/periods/not-a-date/report")
            .problem(404, "period_close_not_found");
        fin.get("/v1/periods/2025-01-31/report")
            .problem(403, "forbidden");
        s.client("controller", "202")
            .get("/v1/periods/2025-01-31/report")
            .problem(404, "period_close_not_found");
        ctl.verify_clean(M);
    });
}
