//! Forvaltningsloven §§ 22-24 and the general rule of administrative law that an authority may take up its own decision again (genoptagelse) when new facts show it was wrong; vejledningen pkt. 157 e: the annual accounts compare the real expenses with what was prepaid, so a covered expense that arrives after the settlement may reopen it. Its entries are reversed and the year is settled again, while nothing has been repaid or set off on its result.
use bookkeeping::{Code, Error, Result};

pub const LEGAL: &str = "Forvaltningsloven §§ 22-24; genoptagelse af en afgørelse efter almindelige forvaltningsretlige regler, når nye oplysninger viser, at den bygger på et forkert grundlag; vejledningen pkt. 157 e (årsopgørelsen)";

/// What a settlement's result has become since it was made.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The settlement was reopened already.
    pub reopened: bool,
    /// Its unspent money was set off against next year's fixed amount.
    pub offset: bool,
    /// Money repaid by the family on its claim.
    pub repaid: bool,
    /// Its shortfall was paid to the family.
    pub shortfall_paid: bool,
}

/// A settlement may be reopened while its result has not been acted on: nothing repaid or set
/// off on its claim, no shortfall paid out. After that a new decision on the year's late
/// expenses is made on its own (a refusal or a new claim), not by undoing the old one.
pub fn check(o: Outcome) -> Result<()> {
    let refuse = |why: &str| {
        Err(Error::conflict(
            Code::SettlementNotReopenable,
            format!("the settlement cannot be reopened: {why}; decide the late expense on its own instead"),
        )
        .legal(LEGAL))
    };
    if o.reopened {
        return refuse("it was reopened already (settle the year again)");
    }
    if o.offset {
        return refuse("its unspent money was set off against next year's fixed amount");
    }
    if o.repaid {
        return refuse("the family has repaid money on its claim");
    }
    if o.shortfall_paid {
        return refuse("its shortfall has been paid to the family");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopened_only_while_nothing_was_acted_on() {
        assert!(check(Outcome::default()).is_ok());
        for o in [
            Outcome {
                reopened: true,
                ..Outcome::default()
            },
            Outcome {
                offset: true,
                ..Outcome::default()
            },
            Outcome {
                repaid: true,
                ..Outcome::default()
            },
            Outcome {
                shortfall_paid: true,
                ..Outcome::default()
            },
        ] {
            assert_eq!(
                check(o).unwrap_err().code,
                Code::SettlementNotReopenable,
                "{o:?}"
            );
        }
    }
}
