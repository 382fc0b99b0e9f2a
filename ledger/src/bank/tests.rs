//! The readers against statements as the banks write them.
use super::{camt, csv_export};
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

pub const CAMT_02: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2026-03-06T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>STMT-2026-03-05</Id>
      <CreDtTm>2026-03-06T06:00:00</CreDtTm>
      <FrToDt><FrDtTm>2026-03-02T00:00:00</FrDtTm><ToDtTm>2026-03-05T23:59:59</ToDtTm></FrToDt>
      <Acct><Id><IBAN>DK5000400440116243</IBAN></Id><Ccy>DKK</Ccy></Acct>
      <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="DKK">10000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-01</Dt></Dt></Bal>
      <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="DKK">9150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-05</Dt></Dt></Bal>
      <Ntry>
        <Amt Ccy="DKK">1000.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-02</Dt></BookgDt><ValDt><Dt>2026-03-02</Dt></ValDt>
        <AcctSvcrRef>BANK-1</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>PAY-1</EndToEndId></Refs><RmtInf><Ustrd>Hjemmetræning</Ustrd></RmtInf></TxDtls></NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="DKK">300.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-03</Dt></BookgDt>
        <NtryDtls>
          <Btch><NbOfTxs>2</NbOfTxs></Btch>
          <TxDtls><Refs><EndToEndId>A-1</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="DKK">100.00</Amt></TxAmt></AmtDtls></TxDtls>
          <TxDtls><Refs><EndToEndId>A-2</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy="DKK">200.00</Amt></TxAmt></AmtDtls></TxDtls>
        </NtryDtls>
      </Ntry>
      <Ntry>
        <Amt Ccy="DKK">450.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>
        <BookgDt><Dt>2026-03-05</Dt></BookgDt>
        <AddtlNtryInf>Retur PAY-9</AddtlNtryInf>
      </Ntry>
      <Ntry>
        <Amt Ccy="DKK">5.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>PDNG</Sts>
        <BookgDt><Dt>2026-03-05</Dt></BookgDt>
      </Ntry>
    </Stmt>
  </BkToCstmrStmt>
</Document>
"#;

#[test]
fn a_camt_053_001_02_statement() {
    let s = camt::parse(CAMT_02.as_bytes()).unwrap();
    assert_eq!(s.format, "camt.053.001.02");
    assert_eq!(s.statement_ref.as_deref(), Some("STMT-2026-03-05"));
    assert_eq!(s.account.as_deref(), Some("DK5000400440116243"));
    assert_eq!(
        (s.period_from, s.period_to),
        (d("2026-03-02"), d("2026-03-05"))
    );
    assert_eq!((s.opening, s.closing), (Some(1_000_000), Some(915_000)));
    let got: Vec<(i64, Option<&str>, &str)> = s
        .lines
        .iter()
        .map(|l| (l.amount, l.end_to_end_id.as_deref(), l.text.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (-100_000, Some("PAY-1"), "Hjemmetræning"),
            (-10_000, Some("A-1"), ""),
            (-20_000, Some("A-2"), ""),
            (45_000, None, "Retur PAY-9"),
        ]
    );
    assert_eq!(s.lines[0].bank_reference.as_deref(), Some("BANK-1"));
}

#[test]
fn a_camt_053_001_08_statement_names_its_status_by_code() {
    let v8 = CAMT_02
        .replace("camt.053.001.02", "camt.053.001.08")
        .replace("<Sts>BOOK</Sts>", "<Sts><Cd>BOOK</Cd></Sts>")
        .replace("<Sts>PDNG</Sts>", "<Sts><Cd>PDNG</Cd></Sts>");
    let s = camt::parse(v8.as_bytes()).unwrap();
    assert_eq!(s.format, "camt.053.001.08");
    assert_eq!(s.lines.len(), 4);
}

#[test]
fn bad_camt_files_name_the_line_or_element() {
    let e = camt::parse(b"<Document><BkToCstmrStmt></Document>").unwrap_err();
    let r = e.refusal().unwrap();
    assert!(r.errors[0].field.starts_with("line 1"), "{r:?}");
    let e = camt::parse(
        CAMT_02
            .replace(
                "1000.00</Amt><CdtDbtInd>DBIT",
                "1000,00</Amt><CdtDbtInd>DBIT",
            )
            .as_bytes(),
    )
    .unwrap_err();
    assert_eq!(e.refusal().unwrap().errors[0].field, "Stmt/Ntry[1]/Amt");
    let e = camt::parse(CAMT_02.replace("9150.00", "9151.00").as_bytes()).unwrap_err();
    assert!(e.refusal().unwrap().detail.contains("closing balance"));
    let e = camt::parse(
        CAMT_02
            .replace("camt.053.001.02", "camt.052.001.02")
            .as_bytes(),
    )
    .unwrap_err();
    assert!(e.refusal().unwrap().detail.contains("camt.053"));
    let e = camt::parse(CAMT_02.replace("<Id>STMT-2026-03-05</Id>", "").as_bytes()).unwrap_err();
    assert!(
        e.refusal().unwrap().errors[0].field.contains("Stmt"),
        "{e:?}"
    );
}

#[test]
fn a_danish_csv_export_newest_first_in_windows_1252() {
    let text = "Dato;Tekst;Beløb;Saldo\r\n05.03.2026;Retur;450,00;9.150,00\r\n03-03-2026;Lønkørsel;-300,00;8.700,00\r\n02.03.2026;Hjemmetræning PAY-1;-1.000,00;9.000,00\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    let s = csv_export::parse(&bytes).unwrap();
    assert_eq!(s.format, "csv");
    assert_eq!((s.opening, s.closing), (Some(1_000_000), Some(915_000)));
    assert_eq!(s.lines[2].text, "Hjemmetræning PAY-1");
    assert_eq!(s.lines[2].amount, -100_000);
    assert_eq!(
        (s.period_from, s.period_to),
        (d("2026-03-02"), d("2026-03-05"))
    );
}

#[test]
fn an_english_csv_export_and_bad_lines() {
    let s = csv_export::parse(b"date,text,amount,balance\n2026-03-02,Pay,-1000.00,9000.00\n2026-03-03,Run,-300.00,8700.00\n").unwrap();
    assert_eq!((s.opening, s.closing), (Some(1_000_000), Some(870_000)));
    let e = csv_export::parse(
        "Dato;Tekst;Beløb;Saldo\n02.03.2026;X;-1.000,001;9.000,00\n31.02.2026;Y;5,00;9.005,00\n"
            .as_bytes(),
    )
    .unwrap_err();
    let r = e.refusal().unwrap();
    assert_eq!(r.errors.len(), 2, "{r:?}");
    assert_eq!(r.errors[0].field, "line 2, column Beløb");
    assert_eq!(r.errors[1].field, "line 3, column Dato");
    let e = csv_export::parse(b"date,text,amount,balance\n2026-03-02,Pay,-1000.00,9000.00\n2026-03-03,Run,-300.00,8000.00\n").unwrap_err();
    assert_eq!(e.refusal().unwrap().errors[0].field, "line 3");
    assert!(csv_export::parse(b"when,what\n1,2\n").is_err());
}

#[test]
fn the_readmes_example_files_read_alike() {
    let x = camt::parse(include_bytes!("../../../examples/bank/camt053-001-02.xml")).unwrap();
    let c = csv_export::parse(include_bytes!(
        "../../../examples/bank/netbank-2025-04-04.csv"
    ))
    .unwrap();
    for s in [&x, &c] {
        assert_eq!(s.lines.len(), 9);
        assert_eq!((s.opening, s.closing), (Some(5_000_000), Some(4_725_600)));
    }
    let amounts = |s: &super::ParsedStatement| s.lines.iter().map(|l| l.amount).collect::<Vec<_>>();
    assert_eq!(amounts(&x), amounts(&c));
}
