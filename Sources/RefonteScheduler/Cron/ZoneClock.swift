import Foundation

/// Turns a wall-clock time in a zone into the instants at which the zone's clocks show it:
/// one instant, two (the hour repeated when clocks go back) or none (the hour skipped when
/// they jump forward).
struct ZoneClock: Sendable {
    enum Resolution: Equatable {
        case unique(Int64)
        /// Shown twice: first under the earlier offset (summer time), then under the later.
        case repeated(first: Int64, second: Int64)
        /// Never shown; `gapEnd` is the instant the clocks jumped, the first one after the gap.
        case skipped(gapEnd: Int64)
    }

    let zone: TimeZone

    func offset(at seconds: Int64) -> Int64 {
        Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
    }

    /// The offset in force throughout the local day `day` (days since 1970-01-01), or nil when
    /// the offset changes near it. Offsets change for months at a time, so hourly samples over
    /// the day and 15 h either side find any change that `resolve` would have to handle.
    func constantOffset(forDay day: Int64) -> Int64? {
        let start = day * 86400 - 15 * 3600
        let first = offset(at: start)
        for hour in Int64(1)...Int64(54) where offset(at: start + hour * 3600) != first { return nil }
        return first
    }

    /// `wall` is a wall time counted in seconds as though it were UTC (`LocalTime.wallSeconds`).
    func resolve(wall: Int64) -> Resolution {
        // Every offset lies within ±15 h, so the offsets in force 15 h either side of `wall` are
        // the ones on each side of any change that could affect it.
        let before = offset(at: wall - 15 * 3600)
        let after = offset(at: wall + 15 * 3600)
        var instants: [Int64] = []
        for candidate in Set([before, after, offset(at: wall)]) {
            let instant = wall - candidate
            if offset(at: instant) == candidate, !instants.contains(instant) { instants.append(instant) }
        }
        instants.sort()
        switch instants.count {
        case 0:
            return .skipped(gapEnd: gapEnd(wall: wall, before: min(before, after), after: max(before, after)))
        case 1:
            return .unique(instants[0])
        default:
            return .repeated(first: instants[0], second: instants[instants.count - 1])
        }
    }

    /// The first instant under the later offset, found by bisection between the two instants that
    /// could have shown `wall`: the zone's data, not a calendar rule, says where the jump is.
    private func gapEnd(wall: Int64, before: Int64, after: Int64) -> Int64 {
        var low = wall - after  // still under the earlier offset
        var high = wall - before  // already under the later one
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == before { low = middle } else { high = middle }
        }
        return high
    }
}
