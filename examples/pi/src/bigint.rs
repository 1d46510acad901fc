//! Just enough arbitrary-precision unsigned arithmetic for the pi spigot: multiply by a small
//! number, add, subtract, compare. No bigint crate is available to the offline toolchain, and
//! the spigot needs nothing more.

use std::cmp::Ordering;

/// An unsigned integer of any size: base 2^32 limbs, least significant first, no zero limbs at
/// the top (so zero is the empty vector and comparing lengths compares magnitudes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    pub fn from_u64(value: u64) -> Self {
        let mut n = BigUint {
            limbs: vec![value as u32, (value >> 32) as u32],
        };
        n.normalize();
        n
    }

    pub fn is_zero(&self) -> bool {
        self.limbs.is_empty()
    }

    /// `self = source`, reusing this number's buffer.
    pub fn assign(&mut self, source: &BigUint) {
        self.limbs.clear();
        self.limbs.extend_from_slice(&source.limbs);
    }

    /// `self *= factor`.
    pub fn mul_small(&mut self, factor: u64) {
        if factor == 0 || self.is_zero() {
            self.limbs.clear();
            return;
        }
        if factor <= u64::from(u32::MAX) {
            let factor = factor as u32;
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let product = u64::from(*limb) * u64::from(factor) + u64::from(carry);
                *limb = product as u32;
                carry = (product >> 32) as u32;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        } else {
            // Rare here (the spigot splits its factors to stay under 2^32), and u128 is slow on
            // wasm32, so this path stays out of the way of the one above.
            let mut carry = 0u128;
            for limb in &mut self.limbs {
                let product = u128::from(*limb) * u128::from(factor) + carry;
                *limb = product as u32;
                carry = product >> 32;
            }
            while carry != 0 {
                self.limbs.push(carry as u32);
                carry >>= 32;
            }
        }
    }

    /// `self = source * factor`, reusing this number's buffer.
    pub fn set_mul_small(&mut self, source: &BigUint, factor: u64) {
        self.assign(source);
        self.mul_small(factor);
    }

    /// `self += other`.
    pub fn add_assign(&mut self, other: &BigUint) {
        if self.limbs.len() < other.limbs.len() {
            self.limbs.resize(other.limbs.len(), 0);
        }
        let mut carry = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let addend = other.limbs.get(i).copied().unwrap_or(0);
            if addend == 0 && !carry && i >= other.limbs.len() {
                break;
            }
            let (sum, overflow1) = limb.overflowing_add(addend);
            let (sum, overflow2) = sum.overflowing_add(carry as u32);
            *limb = sum;
            carry = overflow1 || overflow2;
        }
        if carry {
            self.limbs.push(1);
        }
    }

    /// `self -= other`.
    ///
    /// # Panics
    /// When `other > self`: the spigot's invariants say that never happens, and a wrapped-around
    /// result would silently give wrong digits.
    pub fn sub_assign(&mut self, other: &BigUint) {
        assert!(*self >= *other, "BigUint subtraction would go below zero");
        let mut borrow = false;
        for (i, limb) in self.limbs.iter_mut().enumerate() {
            let subtrahend = other.limbs.get(i).copied().unwrap_or(0);
            if subtrahend == 0 && !borrow && i >= other.limbs.len() {
                break;
            }
            let (difference, underflow1) = limb.overflowing_sub(subtrahend);
            let (difference, underflow2) = difference.overflowing_sub(borrow as u32);
            *limb = difference;
            borrow = underflow1 || underflow2;
        }
        self.normalize();
    }

    /// `floor(self / divisor)` when that is below `limit`, found by comparing multiples of the
    /// divisor rather than by long division (the spigot's quotients are single digits).
    /// `scratch` is a buffer to reuse.
    ///
    /// # Panics
    /// When `divisor` is zero or the quotient is `limit` or more.
    pub fn small_quotient(&self, divisor: &BigUint, limit: u32, scratch: &mut BigUint) -> u32 {
        assert!(!divisor.is_zero(), "division by zero");
        let mut quotient = self.estimate_quotient(divisor).min(u64::from(limit)) as u32;
        // Step from the estimate (at most one off) until q·d ≤ self < (q+1)·d.
        loop {
            scratch.set_mul_small(divisor, u64::from(quotient));
            if *scratch > *self {
                quotient -= 1;
                continue;
            }
            scratch.add_assign(divisor);
            if *scratch <= *self {
                quotient += 1;
                assert!(quotient < limit, "quotient is {} or more", limit);
                continue;
            }
            return quotient;
        }
    }

    /// `self / divisor` from the leading 64 bits of `self` and the bits of `divisor` at the same
    /// positions. For a quotient below 2^32 the divisor's part then has at least 32 significant
    /// bits, which keeps the estimate within one of the truth.
    fn estimate_quotient(&self, divisor: &BigUint) -> u64 {
        if *self < *divisor {
            return 0;
        }
        let shift = self.bit_len().saturating_sub(64);
        let numerator = self.bits_from(shift);
        let denominator = divisor.bits_from(shift);
        if denominator == 0 {
            return u64::MAX;
        }
        numerator / denominator
    }

    fn bit_len(&self) -> usize {
        match self.limbs.last() {
            None => 0,
            Some(top) => 32 * self.limbs.len() - top.leading_zeros() as usize,
        }
    }

    /// `floor(self / 2^shift)`, truncated to 64 bits.
    fn bits_from(&self, shift: usize) -> u64 {
        let limb = |i: usize| self.limbs.get(i).copied().map_or(0, u128::from);
        let first = shift / 32;
        let window = limb(first) | limb(first + 1) << 32 | limb(first + 2) << 64;
        (window >> (shift % 32)) as u64
    }

    fn normalize(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }
}

impl PartialOrd for BigUint {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for BigUint {
    fn cmp(&self, other: &Self) -> Ordering {
        self.limbs
            .len()
            .cmp(&other.limbs.len())
            .then_with(|| self.limbs.iter().rev().cmp(other.limbs.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decimal output, to check results against known values; the spigot never needs it.
    impl BigUint {
        /// Divides by `divisor` in place and returns the remainder.
        pub fn div_rem_small(&mut self, divisor: u32) -> u32 {
            assert!(divisor != 0, "division by zero");
            let mut remainder = 0u64;
            for limb in self.limbs.iter_mut().rev() {
                let current = (remainder << 32) | u64::from(*limb);
                *limb = (current / u64::from(divisor)) as u32;
                remainder = current % u64::from(divisor);
            }
            self.normalize();
            remainder as u32
        }

        /// Decimal digits, most significant first.
        pub fn to_decimal(&self) -> String {
            if self.is_zero() {
                return "0".to_string();
            }
            const CHUNK: u32 = 1_000_000_000;
            let mut rest = self.clone();
            let mut chunks = Vec::new();
            while !rest.is_zero() {
                chunks.push(rest.div_rem_small(CHUNK));
            }
            let mut text = chunks.pop().map(|c| c.to_string()).unwrap_or_default();
            for chunk in chunks.iter().rev() {
                text.push_str(&format!("{:09}", chunk));
            }
            text
        }
    }

    fn factorial(n: u64) -> BigUint {
        let mut f = BigUint::from_u64(1);
        for k in 2..=n {
            f.mul_small(k);
        }
        f
    }

    fn pow2(exponent: u32) -> BigUint {
        let mut p = BigUint::from_u64(1);
        for _ in 0..exponent {
            p.mul_small(2);
        }
        p
    }

    #[test]
    fn multiplies_across_limbs() {
        assert_eq!(
            factorial(30).to_decimal(),
            "265252859812191058636308480000000"
        );
        assert_eq!(
            pow2(128).to_decimal(),
            "340282366920938463463374607431768211456"
        );
        assert_eq!(
            BigUint::from_u64(u64::MAX).to_decimal(),
            u64::MAX.to_string()
        );
        let mut zero = factorial(10);
        zero.mul_small(0);
        assert!(zero.is_zero());
        assert_eq!(zero.to_decimal(), "0");
    }

    #[test]
    fn the_wide_multiplier_path_agrees_with_two_narrow_ones() {
        let factor = 3_000_000_007u64 * 1_000_003;
        let mut wide = factorial(40);
        wide.mul_small(factor);
        let mut narrow = factorial(40);
        narrow.mul_small(3_000_000_007);
        narrow.mul_small(1_000_003);
        assert_eq!(wide, narrow);
        let mut max = pow2(100);
        max.mul_small(u64::MAX);
        let mut expected = pow2(164);
        expected.sub_assign(&pow2(100));
        assert_eq!(max, expected);
    }

    #[test]
    fn adds_and_subtracts_with_carries_and_borrows() {
        let mut n = pow2(96);
        n.sub_assign(&BigUint::from_u64(1));
        assert_eq!(n.to_decimal(), "79228162514264337593543950335");
        n.add_assign(&BigUint::from_u64(1));
        assert_eq!(n, pow2(96));
        let mut small = BigUint::from_u64(5);
        small.add_assign(&pow2(70));
        small.sub_assign(&pow2(70));
        assert_eq!(small, BigUint::from_u64(5));
        let mut same = factorial(25);
        same.sub_assign(&factorial(25));
        assert!(same.is_zero());
    }

    #[test]
    #[should_panic(expected = "below zero")]
    fn refuses_to_go_negative() {
        let mut n = BigUint::from_u64(1);
        n.sub_assign(&BigUint::from_u64(2));
    }

    #[test]
    fn compares_by_magnitude() {
        assert!(pow2(64) > BigUint::from_u64(u64::MAX));
        assert!(factorial(20) < factorial(21));
        assert_eq!(factorial(12).cmp(&factorial(12)), Ordering::Equal);
        assert!(BigUint::default() < BigUint::from_u64(1));
    }

    #[test]
    fn small_quotients_are_exact_at_every_boundary() {
        let mut just_under_2_pow_65 = pow2(65);
        just_under_2_pow_65.sub_assign(&BigUint::from_u64(1));
        // Divisors whose top limb is large, tiny, or sits one limb below the dividend's.
        let divisors = [
            factorial(33),
            pow2(64),
            just_under_2_pow_65,
            BigUint::from_u64(3),
        ];
        let mut scratch = BigUint::default();
        for divisor in &divisors {
            for q in 0..10u64 {
                let mut exact = divisor.clone();
                exact.mul_small(q);
                assert_eq!(
                    exact.small_quotient(divisor, 10, &mut scratch),
                    q as u32,
                    "{}·{:?}",
                    q,
                    divisor
                );
                if q > 0 {
                    let mut just_below = exact.clone();
                    just_below.sub_assign(&BigUint::from_u64(1));
                    assert_eq!(
                        just_below.small_quotient(divisor, 10, &mut scratch),
                        q as u32 - 1,
                        "{}·{:?} - 1",
                        q,
                        divisor
                    );
                }
                let mut just_above = exact;
                just_above.add_assign(&BigUint::from_u64(1));
                assert_eq!(
                    just_above.small_quotient(divisor, 10, &mut scratch),
                    q as u32,
                    "{}·{:?} + 1",
                    q,
                    divisor
                );
            }
        }
        let small = BigUint::from_u64(7);
        assert_eq!(
            BigUint::from_u64(69).small_quotient(&small, 10, &mut scratch),
            9
        );
    }

    #[test]
    fn divides_by_small_numbers_with_remainder() {
        let mut n = factorial(20);
        assert_eq!(n.div_rem_small(1000), 0);
        assert_eq!(n.to_decimal(), "2432902008176640");
        assert_eq!(BigUint::from_u64(1_000_000_007).div_rem_small(10), 7);
    }
}
