import Foundation

extension random.Random {
    /// `uniform(a, b)`: `a + (b - a) * random()`.
    public func uniform(_ a: Double, _ b: Double) -> Double {
        a + (b - a) * random()
    }

    /// `gauss(mu=0.0, sigma=1.0)`: Box–Muller, the second value of each pair kept for the
    /// next call (`gauss_next`), as CPython's.
    public func gauss(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        withState { state in
            let z: Double
            if let next = state.gaussNext {
                z = next
                state.gaussNext = nil
            } else {
                let x2pi = Self.random(&state.twister) * (2 * Double.pi)
                let g2rad = (-2.0 * Foundation.log(1.0 - Self.random(&state.twister))).squareRoot()
                z = Foundation.cos(x2pi) * g2rad
                state.gaussNext = Foundation.sin(x2pi) * g2rad
            }
            return mu + z * sigma
        }
    }

    /// `triangular(low=0.0, high=1.0, mode=None)`.
    public func triangular(_ low: Double = 0, _ high: Double = 1, mode: Double? = nil) -> Double {
        var u = random()
        guard high != low else { return low }  // CPython's ZeroDivisionError branch
        var c = mode.map { ($0 - low) / (high - low) } ?? 0.5
        var (low, high) = (low, high)
        if u > c {
            u = 1.0 - u
            c = 1.0 - c
            (low, high) = (high, low)
        }
        return low + (high - low) * (u * c).squareRoot()
    }

    /// `normalvariate(mu=0.0, sigma=1.0)`: Kinderman and Monahan's ratio method, as CPython's.
    public func normalvariate(_ mu: Double = 0, _ sigma: Double = 1) -> Double {
        let magic = 4 * Foundation.exp(-0.5) / 2.0.squareRoot()
        return withState { state in
            while true {
                let u1 = Self.random(&state.twister)
                let u2 = 1.0 - Self.random(&state.twister)
                let z = magic * (u1 - 0.5) / u2
                if z * z / 4.0 <= -Foundation.log(u2) { return mu + z * sigma }
            }
        }
    }

    /// `expovariate(lambd)`: `-log(1 - random()) / lambd`.
    public func expovariate(_ lambd: Double) -> Double {
        -Foundation.log(1.0 - random()) / lambd
    }
}
