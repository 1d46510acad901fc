//! Gibbons' unbounded spigot for the decimal digits of pi ("Unbounded Spigot Algorithms for the
//! Digits of Pi", 2006, the Gosper-series variant), exactly as the usual Rust and JavaScript
//! versions compute it, so `bench` compares like with like:
//!
//! ```text
//! q, r, t, i = 1, 180, 60, 2
//! loop:
//!     digit = ((27i - 12)q + 5r) / (5t)
//!     u     = 3(3i + 1)(3i + 2)
//!     r     = 10u(q(5i - 2) + r - t·digit)
//!     q     = q · 10i(2i - 1)
//!     t     = t · u
//!     i    += 1
//! ```

use crate::bigint::BigUint;

/// The digits of pi, `3, 1, 4, 1, 5, …`, without end.
pub struct PiDigits {
    q: BigUint,
    r: BigUint,
    t: BigUint,
    i: u64,
    // Buffers reused on every step, so a run allocates only as its numbers grow.
    numerator: BigUint,
    denominator: BigUint,
    scratch: BigUint,
}

impl PiDigits {
    pub fn new() -> Self {
        PiDigits {
            q: BigUint::from_u64(1),
            r: BigUint::from_u64(180),
            t: BigUint::from_u64(60),
            i: 2,
            numerator: BigUint::default(),
            denominator: BigUint::default(),
            scratch: BigUint::default(),
        }
    }
}

impl Iterator for PiDigits {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let i = self.i;
        // Every factor below stays under 2^32 for the i this example reaches (up to 100 001),
        // so each multiplication is the fast single-word pass.
        let (a, b) = (3 * i + 1, 3 * i + 2);

        // digit = ((27i - 12)q + 5r) / (5t)
        self.numerator.set_mul_small(&self.q, 27 * i - 12);
        self.scratch.set_mul_small(&self.r, 5);
        self.numerator.add_assign(&self.scratch);
        self.denominator.set_mul_small(&self.t, 5);
        let digit = self
            .numerator
            .small_quotient(&self.denominator, 10, &mut self.scratch);

        // r = 10u(q(5i - 2) + r - t·digit), with 10u = 30(3i + 1) · (3i + 2)
        self.numerator.set_mul_small(&self.q, 5 * i - 2);
        self.numerator.add_assign(&self.r);
        self.scratch.set_mul_small(&self.t, u64::from(digit));
        self.numerator.sub_assign(&self.scratch);
        self.numerator.mul_small(30 * a);
        self.numerator.mul_small(b);
        std::mem::swap(&mut self.r, &mut self.numerator);

        // q *= 10i(2i - 1); t *= u = 3(3i + 1) · (3i + 2)
        self.q.mul_small(10 * i);
        self.q.mul_small(2 * i - 1);
        self.t.mul_small(3 * a);
        self.t.mul_small(b);
        self.i += 1;

        Some(digit as u8)
    }
}

/// The first `count` digits of pi as text: `"31415926…"`.
pub fn pi_digits(count: usize) -> String {
    PiDigits::new()
        .take(count)
        .map(|d| char::from(b'0' + d))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 1000 digits, computed independently with Machin's formula
    /// (16·atan(1/5) − 4·atan(1/239)) in integer arithmetic.
    const PI_1000: &str = concat!(
        "3141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067",
        "9821480865132823066470938446095505822317253594081284811174502841027019385211055596446229489549303819",
        "6442881097566593344612847564823378678316527120190914564856692346034861045432664821339360726024914127",
        "3724587006606315588174881520920962829254091715364367892590360011330530548820466521384146951941511609",
        "4330572703657595919530921861173819326117931051185480744623799627495673518857527248912279381830119491",
        "2983367336244065664308602139494639522473719070217986094370277053921717629317675238467481846766940513",
        "2000568127145263560827785771342757789609173637178721468440901224953430146549585371050792279689258923",
        "5420199561121290219608640344181598136297747713099605187072113499999983729780499510597317328160963185",
        "9502445945534690830264252230825334468503526193118817101000313783875288658753320838142061717766914730",
        "3598253490428755468731159562863882353787593751957781857780532171226806613001927876611195909216420198",
    );

    #[test]
    fn the_first_hundred_digits() {
        assert_eq!(
            pi_digits(100),
            "3141592653589793238462643383279502884197169399375105820974944592307816406286208998628034825342117067"
        );
    }

    #[test]
    fn a_thousand_digits_match_an_independent_computation() {
        assert_eq!(PI_1000.len(), 1000);
        assert_eq!(pi_digits(1000), PI_1000);
        // The Feynman point: six nines from the 762nd decimal.
        assert_eq!(&PI_1000[762..768], "999999");
    }

    #[test]
    fn shorter_runs_are_prefixes_of_longer_ones() {
        for n in [0, 1, 2, 10, 333] {
            assert_eq!(pi_digits(n), PI_1000[..n]);
        }
    }
}
