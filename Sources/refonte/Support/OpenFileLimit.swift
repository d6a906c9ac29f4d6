#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`ulimit -n`), which every connection counts against.
enum OpenFileLimit {
    /// Files the server needs besides its connections: the database and its side files for
    /// each SQLite connection, the event loops' descriptors, standard streams.
    static let overhead = 256

    struct TooLow: Error, CustomStringConvertible {
        var needed: Int
        var hardLimit: Int
        var description: String {
            "needs about \(needed) open files, but this process may open at most \(hardLimit) "
                + "(ulimit -Hn); lower --max-connections to \(max(1, hardLimit - OpenFileLimit.overhead)) "
                + "or raise the limit"
        }
    }

    /// Raises the soft limit to fit `connections` connections, up to the hard limit; fails when
    /// even the hard limit is too low, rather than let accepts fail later with EMFILE.
    static func raise(toFit connections: Int) throws(TooLow) {
        let needed = connections + overhead
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        // RLIM_INFINITY is the largest value, so it compares as "enough".
        if limit.rlim_cur >= rlim_t(needed) { return }
        guard limit.rlim_max >= rlim_t(needed) else {
            throw TooLow(needed: needed, hardLimit: Int(limit.rlim_max))
        }
        limit.rlim_cur = rlim_t(needed)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
