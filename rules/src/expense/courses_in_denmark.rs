//! Vejledningen pkt. 157 d: only courses held in Denmark are covered; Copenhagen folder, 'Ferie og rejser til udlandet'.
use crate::budget::grant::Category;
use bookkeeping::{Code, Error, Result};

pub const LEGAL: &str = "Vejledningen pkt. 157 d: only courses held in Denmark are covered; Copenhagen folder, 'Ferie og rejser til udlandet'";

/// An expense on a course post must say where the course is held, and it must be Denmark.
pub fn check(category: Category, country: Option<&str>) -> Result<()> {
    if category != Category::Courses {
        return Ok(());
    }
    match country {
        None => Err(Error::field(
            Code::CourseCountryRequired,
            "course_country",
            "an expense on a course post must say where the course is held (course_country, e.g. DK)",
        )
        .legal(LEGAL)),
        Some("DK") => Ok(()),
        Some(c) => Err(Error::field(
            Code::CourseAbroadNotCovered,
            "course_country",
            format!("the course is held abroad ({c}); only courses held in Denmark are covered"),
        )
        .legal(LEGAL)
        .figure("course_country", c)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_danish_courses() {
        assert!(check(Category::Courses, Some("DK")).is_ok());
        assert!(check(Category::Equipment, Some("SE")).is_ok());
        assert_eq!(
            check(Category::Courses, Some("SE")).unwrap_err().code,
            Code::CourseAbroadNotCovered
        );
        assert_eq!(
            check(Category::Courses, None).unwrap_err().code,
            Code::CourseCountryRequired
        );
    }
}
