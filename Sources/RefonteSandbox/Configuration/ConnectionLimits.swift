/// How long the server waits on a client, and how many clients it holds at once. Together they
/// keep clients that open connections and send nothing (or a byte at a time) from using up the
/// server: such a connection is closed after a timeout, and sooner when room is needed.
public struct ConnectionLimits: Sendable, Hashable {
    /// Connections open at once. At the limit, the connection that has waited longest on its
    /// client (idle, or sending a request slowly) is closed to make room; when every connection
    /// has a request in progress, new ones wait in the listen backlog.
    public var maxConnections: Int
    /// The longest silence from a client: a kept-alive connection between requests, or a
    /// request body that stops arriving, is closed after it.
    public var idleTimeout: Duration
    /// A request's line and headers must arrive in full within this time of its first byte; a
    /// new connection must send its first request head within this time of opening.
    public var headerTimeout: Duration

    public static let maxConnectionsRange = 1...100_000
    public static let timeoutRange: ClosedRange<Duration> = .milliseconds(100) ... .seconds(3600)

    /// 512 connections, 75 s idle, 10 s for a request head. The idle timeout outlasts the 60 s
    /// for which HTTP clients (async-http-client among them) keep an idle connection, so the
    /// client is the side that closes it and never sends a request into a closing socket.
    public init(
        maxConnections: Int = 512,
        idleTimeout: Duration = .seconds(75),
        headerTimeout: Duration = .seconds(10)
    ) {
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.headerTimeout = headerTimeout
    }
}

extension ConnectionLimits {
    /// Refuses values out of range, naming the `refonte sandbox` option that sets each.
    public func validate() throws(ConfigurationError) {
        guard Self.maxConnectionsRange.contains(maxConnections) else {
            throw ConfigurationError(
                option: "--max-connections",
                value: String(maxConnections),
                expected: "expected a whole number from \(Self.maxConnectionsRange.lowerBound) to "
                    + "\(Self.maxConnectionsRange.upperBound)"
            )
        }
        for (option, value) in [("--idle-timeout", idleTimeout), ("--header-timeout", headerTimeout)]
        where !Self.timeoutRange.contains(value) {
            throw ConfigurationError(
                option: option,
                value: "\(value)",
                expected: "expected a duration from 100ms to 1h"
            )
        }
    }
}
