/// Draws the injected failures of one request.
struct FaultInjector: Sendable {
    enum Early: Sendable {
        case none
        case error
        case throttle
        case reset
    }

    let faults: Faults

    /// What happens before the request is handled, drawn once per request.
    func early() -> Early {
        guard !faults.isNone else { return .none }
        let roll = Double.random(in: 0..<1)
        var edge = faults.error
        if roll < edge { return .error }
        edge += faults.throttle
        if roll < edge { return .throttle }
        edge += faults.reset
        if roll < edge { return .reset }
        return .none
    }

    /// Whether a write that was applied is answered 500 anyway.
    func lateError() -> Bool {
        faults.lateError > 0 && Double.random(in: 0..<1) < faults.lateError
    }
}

/// Thrown from a response body to drop the connection mid-response.
struct InjectedReset: Error {}
