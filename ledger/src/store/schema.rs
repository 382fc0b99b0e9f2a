// The logical schema shared by both backends (see migrations/).
diesel::table! {
    municipalities (code) {
        code -> Text,
        closed_through -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    accounts (id) {
        id -> Text,
        municipality -> Text,
        code -> Text,
        name -> Text,
        kind -> Text,
        balance_constraint -> Text,
        owner -> Nullable<Text>,
        parent_id -> Nullable<Text>,
        debits_posted -> BigInt,
        credits_posted -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    journal_entries (id) {
        id -> Text,
        municipality -> Text,
        kind -> Text,
        effective_date -> Date,
        description -> Text,
        reverses -> Nullable<Text>,
        source_type -> Nullable<Text>,
        source_id -> Nullable<Text>,
        created_by -> Text,
        created_role -> Text,
        request_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    postings (entry_id, line_no) {
        entry_id -> Text,
        line_no -> Integer,
        municipality -> Text,
        account_id -> Text,
        effective_date -> Date,
        debit -> BigInt,
        credit -> BigInt,
    }
}

diesel::table! {
    period_closes (id) {
        id -> Text,
        municipality -> Text,
        through -> Date,
        closed_by -> Text,
        closed_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_keys (municipality, key) {
        municipality -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        response -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(postings -> journal_entries (entry_id));
diesel::allow_tables_to_appear_in_same_query!(
    municipalities,
    accounts,
    journal_entries,
    postings,
    period_closes,
    idempotency_keys,
);
