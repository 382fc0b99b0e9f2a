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
        seq -> Nullable<BigInt>,
        hash -> Nullable<Text>,
        client_request_id -> Nullable<Text>,
    }
}

diesel::table! {
    chain_heads (municipality) {
        municipality -> Text,
        seq -> BigInt,
        hash -> Text,
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

diesel::table! {
    rates (id) {
        id -> Text,
        name -> Text,
        valid_from -> Date,
        value -> Text,
        unit -> Text,
        source -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        municipality -> Text,
        external_ref -> Text,
        external_key -> Nullable<Text>,
        child_birth_date -> Date,
        application_date -> Date,
        approval_date -> Date,
        scope -> Text,
        end_date -> Nullable<Date>,
        end_reason -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        lock_version -> BigInt,
        ended_by -> Nullable<Text>,
        ended_at -> Nullable<Timestamp>,
        payee -> Text,
        payroll_firm -> Nullable<Text>,
    }
}

diesel::table! {
    budget_years (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        start_date -> Date,
        nominal_end_date -> Date,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        retroactive_from -> Nullable<Date>,
        settings_version -> Integer,
    }
}

diesel::table! {
    budget_posts (id) {
        id -> Text,
        municipality -> Text,
        budget_year_id -> Text,
        line_no -> Integer,
        category -> Text,
        description -> Text,
        granted -> BigInt,
        hours_granted -> Nullable<Text>,
        hourly_rate -> Nullable<BigInt>,
        account_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    budget_versions (budget_year_id, version) {
        budget_year_id -> Text,
        version -> Integer,
        decided_on -> Date,
        reason -> Text,
        snapshot -> Text,
        entry_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    expenses (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        budget_year_id -> Text,
        post_id -> Text,
        expense_date -> Date,
        service_from -> Date,
        service_to -> Date,
        amount -> BigInt,
        hours -> Nullable<Text>,
        description -> Text,
        supplier -> Text,
        document_ref -> Text,
        document_key -> Nullable<Text>,
        requested_amount -> Nullable<BigInt>,
        course_country -> Nullable<Text>,
        status -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        reject_reason -> Nullable<Text>,
        entry_id -> Nullable<Text>,
        annulled_on -> Nullable<Date>,
        annulled_by -> Nullable<Text>,
        annul_reason -> Nullable<Text>,
        annul_entry_id -> Nullable<Text>,
        against_advance -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        import_id -> Nullable<Text>,
    }
}

diesel::table! {
    payments (id) {
        id -> Text,
        municipality -> Text,
        paid_on -> Date,
        bank_reference -> Text,
        amount -> BigInt,
        entry_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        returned_on -> Nullable<Date>,
        return_reason -> Nullable<Text>,
        return_entry_id -> Nullable<Text>,
        returned_by -> Nullable<Text>,
    }
}

diesel::table! {
    payables (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        expense_id -> Nullable<Text>,
        amount -> BigInt,
        status -> Text,
        payment_id -> Nullable<Text>,
        created_at -> Timestamp,
        payee -> Text,
        payroll_firm -> Nullable<Text>,
        settlement_id -> Nullable<Text>,
    }
}

diesel::table! {
    agreements (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        budget_year_id -> Text,
        frequency -> Text,
        family_agreed_on -> Date,
        first_payment_date -> Date,
        decision_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    agreement_posts (agreement_id, post_id) {
        agreement_id -> Text,
        post_id -> Text,
    }
}

diesel::table! {
    installments (id) {
        id -> Text,
        municipality -> Text,
        agreement_id -> Text,
        case_id -> Text,
        line_no -> Integer,
        due_date -> Date,
        amount -> BigInt,
        status -> Text,
        paid_on -> Nullable<Date>,
        bank_reference -> Nullable<Text>,
        entry_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    installment_allocations (installment_id, post_id) {
        installment_id -> Text,
        post_id -> Text,
        amount -> BigInt,
    }
}

diesel::table! {
    settlements (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        budget_year_id -> Text,
        agreement_id -> Text,
        lines -> Text,
        total_prepaid -> BigInt,
        total_approved -> BigInt,
        net_unspent -> BigInt,
        net_shortfall -> BigInt,
        decision -> Nullable<Text>,
        decision_id -> Nullable<Text>,
        entry_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        accounts_complete_on -> Nullable<Date>,
        hearing_sent_on -> Nullable<Date>,
        respond_by -> Nullable<Date>,
        response_received_on -> Nullable<Date>,
        response_summary -> Nullable<Text>,
        reopened_by_decision -> Nullable<Text>,
    }
}

diesel::table! {
    payment_payables (payment_id, payable_id) {
        payment_id -> Text,
        payable_id -> Text,
    }
}

diesel::table! {
    decisions (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        kind -> Text,
        decided_on -> Date,
        outcome -> Text,
        subject_type -> Text,
        subject_id -> Text,
        amount -> Nullable<BigInt>,
        code -> Nullable<Text>,
        legal_reference -> Nullable<Text>,
        reason -> Text,
        asked -> Text,
        figures -> Text,
        decided_by -> Text,
        created_at -> Timestamp,
        decided_by_name -> Nullable<Text>,
        municipality_name -> Nullable<Text>,
    }
}

diesel::table! {
    settings (municipality, version) {
        municipality -> Text,
        version -> Integer,
        budget_year_months -> Integer,
        proposal_weeks_before_end -> Integer,
        documentation_weeks_after_end -> Integer,
        payslips_in_basis -> Integer,
        insurance_threshold_hours -> Integer,
        changed_by -> Text,
        changed_at -> Timestamp,
        hearing_days -> Integer,
        bank_match_window_days -> Integer,
        municipality_name -> Nullable<Text>,
    }
}

diesel::table! {
    clawbacks (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        origin -> Text,
        settlement_id -> Nullable<Text>,
        expense_id -> Nullable<Text>,
        lost_earnings_id -> Nullable<Text>,
        decision_id -> Nullable<Text>,
        proposed_amount -> BigInt,
        amount -> BigInt,
        repaid -> BigInt,
        status -> Text,
        entry_id -> Nullable<Text>,
        hearing_sent_on -> Nullable<Date>,
        respond_by -> Nullable<Date>,
        response_received_on -> Nullable<Date>,
        response_summary -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
        cause -> Nullable<Text>,
        cause_decision_id -> Nullable<Text>,
        offset_consented_on -> Nullable<Date>,
        offset_monthly -> Nullable<BigInt>,
        offset_lost_earnings_id -> Nullable<Text>,
    }
}

diesel::table! {
    clawback_repayments (id) {
        id -> Text,
        municipality -> Text,
        clawback_id -> Text,
        amount -> BigInt,
        received_on -> Date,
        bank_reference -> Text,
        entry_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    lost_earnings (id) {
        id -> Text,
        municipality -> Text,
        case_id -> Text,
        parent_ref -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    lost_earnings_versions (lost_earnings_id, version) {
        lost_earnings_id -> Text,
        version -> Integer,
        municipality -> Text,
        effective_from -> Date,
        valid_from -> Date,
        valid_to -> Date,
        granted_weekly_hours -> Text,
        previous_weekly_hours -> Nullable<Text>,
        basis_type -> Text,
        payslips -> Text,
        basis -> BigInt,
        basis_from -> Date,
        employer_pension_monthly -> BigInt,
        monthly_savings -> BigInt,
        home_teaching_weekly_hours -> Text,
        home_taught_full_time -> Bool,
        exceptional_hours_documented -> Bool,
        cut_reason -> Nullable<Text>,
        decision_id -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payroll_runs (id) {
        id -> Text,
        municipality -> Text,
        month -> Date,
        entry_id -> Nullable<Text>,
        lines_count -> Integer,
        corrections_count -> Integer,
        total_gross -> BigInt,
        total_pension -> BigInt,
        total_atp_recipient -> BigInt,
        total_atp_municipality -> BigInt,
        total_savings_deduction -> BigInt,
        total_pay_before_tax -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payroll_lines (id) {
        id -> Text,
        run_id -> Text,
        line_no -> Integer,
        municipality -> Text,
        lost_earnings_id -> Text,
        version -> Integer,
        case_id -> Text,
        parent_ref -> Text,
        month -> Date,
        kind -> Text,
        corrects_month -> Nullable<Date>,
        hours -> Text,
        gross -> BigInt,
        pension -> BigInt,
        atp_recipient -> BigInt,
        atp_municipality -> BigInt,
        savings_deduction -> BigInt,
        pay_before_tax -> BigInt,
        entry_id -> Nullable<Text>,
        clawback_id -> Nullable<Text>,
        set_off -> BigInt,
        set_off_clawback_id -> Nullable<Text>,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        municipality -> Text,
        kind -> Text,
        sha256 -> Text,
        bytes -> BigInt,
        dry_run -> Bool,
        forced_dialect -> Nullable<Text>,
        status -> Text,
        dialect -> Nullable<Text>,
        rows_read -> BigInt,
        rows_booked -> BigInt,
        errors_count -> BigInt,
        warnings_count -> BigInt,
        amount_booked -> BigInt,
        entries_booked -> BigInt,
        rows_total -> Nullable<BigInt>,
        hours_booked -> Text,
        wages_booked -> BigInt,
        fees_booked -> BigInt,
        created_by -> Text,
        created_role -> Text,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_issues (import_id, n) {
        import_id -> Text,
        n -> BigInt,
        municipality -> Text,
        severity -> Text,
        line -> BigInt,
        column_name -> Text,
        value -> Text,
        code -> Text,
        detail -> Text,
    }
}

diesel::table! {
    /// Striped running totals of unconstrained accounts (PostgreSQL; see migration 008).
    account_stripes (account_id, stripe) {
        account_id -> Text,
        stripe -> Integer,
        municipality -> Text,
        debits -> BigInt,
        credits -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    bank_statements,
    bank_statement_lines,
    bank_matches,
    bank_match_movements,
    account_stripes,
    imports,
    import_issues,
    municipalities,
    accounts,
    journal_entries,
    postings,
    period_closes,
    idempotency_keys,
    chain_heads,
    rates,
    cases,
    budget_years,
    budget_posts,
    budget_versions,
    expenses,
    payments,
    payables,
    decisions,
    payment_payables,
    agreements,
    agreement_posts,
    installments,
    installment_allocations,
    settlements,
    settings,
    clawbacks,
    clawback_repayments,
    lost_earnings,
    lost_earnings_versions,
    payroll_runs,
    payroll_lines,
);

diesel::table! {
    account_mapping_versions (municipality, version) {
        municipality -> Text,
        version -> Integer,
        changed_by -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    account_mappings (municipality, version, account_code) {
        municipality -> Text,
        version -> Integer,
        account_code -> Text,
        function -> Text,
        dranst -> Text,
        art -> Text,
    }
}

diesel::table! {
    bank_statements (id) {
        id -> Text,
        municipality -> Text,
        sha256 -> Text,
        format -> Text,
        statement_ref -> Nullable<Text>,
        account -> Nullable<Text>,
        period_from -> Date,
        period_to -> Date,
        opening_balance -> Nullable<BigInt>,
        closing_balance -> Nullable<BigInt>,
        closing_date -> Nullable<Date>,
        lines_count -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    bank_statement_lines (statement_id, line_no) {
        statement_id -> Text,
        line_no -> Integer,
        booking_date -> Date,
        amount -> BigInt,
        text -> Text,
        end_to_end_id -> Nullable<Text>,
        bank_reference -> Nullable<Text>,
        balance -> Nullable<BigInt>,
    }
}

diesel::table! {
    bank_matches (id) {
        id -> Text,
        municipality -> Text,
        statement_id -> Text,
        line_no -> Integer,
        rule -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        undone_by -> Nullable<Text>,
        undone_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    bank_match_movements (match_id, entry_id) {
        match_id -> Text,
        municipality -> Text,
        entry_id -> Text,
        amount -> BigInt,
        undone_at -> Nullable<Timestamp>,
    }
}
