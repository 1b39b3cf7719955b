//! The test count of a `cargo test` run, as CI reads it (`tests: N passed, M failed`).

use std::fmt;

/// Totals of the `test result:` lines of a `cargo test` run.
#[derive(Debug, Default, PartialEq)]
pub struct Counts {
    /// Tests that passed.
    pub passed: u64,
    /// Tests that failed.
    pub failed: u64,
    /// Tests ignored.
    pub ignored: u64,
}

impl Counts {
    /// Sums `test result: ok. 5 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; ...`.
    pub fn parse(output: &str) -> Counts {
        let mut totals = Counts::default();
        for line in output.lines() {
            let Some(rest) = line.trim_start().strip_prefix("test result:") else {
                continue;
            };
            for part in rest.split(';') {
                let mut words = part.split_whitespace().rev();
                let (Some(word), Some(number)) = (words.next(), words.next()) else {
                    continue;
                };
                let Ok(n) = number.parse::<u64>() else {
                    continue;
                };
                match word {
                    "passed" => totals.passed += n,
                    "failed" => totals.failed += n,
                    "ignored" => totals.ignored += n,
                    _ => {}
                }
            }
        }
        totals
    }
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "tests: {} passed, {} failed", self.passed, self.failed)?;
        if self.ignored > 0 {
            write!(f, ", {} skipped", self.ignored)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::Counts;

    #[test]
    fn counts_add_up_every_test_binary() {
        let output = "\
running 3 tests
test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s

test result: FAILED. 10 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out; finished in 1.2s
test something ... ok
   Doc-tests billsync
test result: ok. 0 passed; 0 failed; 4 ignored; 0 measured; 0 filtered out; finished in 0.00s
";
        let counts = Counts::parse(output);
        assert_eq!(
            counts,
            Counts {
                passed: 13,
                failed: 2,
                ignored: 5
            }
        );
        assert_eq!(counts.to_string(), "tests: 13 passed, 2 failed, 5 skipped");
        assert_eq!(Counts::parse("").to_string(), "tests: 0 passed, 0 failed");
    }
}
