import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A client socket that speaks bytes, not HTTP: to hold a connection open, send a request a
/// byte at a time, and see when the server closes it.
struct RawSocket: Sendable {
    let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Connects to 127.0.0.1:`port`. Without `wait`, returns as soon as the connection is
    /// started (it completes when the server's kernel accepts it), so that thousands can be
    /// opened at once.
    static func connect(port: Int, wait: Bool = true) throws -> RawSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        if !wait { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 || (!wait && errno == EINPROGRESS) else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(description: "connect: \(reason)")
        }
        return RawSocket(fd: fd)
    }

    /// Sends all of `text` (blocking), or returns false when the server has closed.
    @discardableResult
    func send(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0, errno == EAGAIN || errno == EINTR { continue }
            guard sent > 0 else { return false }
            bytes = bytes.dropFirst(sent)
        }
        return true
    }

    /// Whether the server has closed the connection (end of file or reset), reading and
    /// dropping whatever it sent, waiting up to `timeout`.
    func isClosed(within timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            let milliseconds = max(
                0,
                Int32(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000)
            )
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { return false }
            let read = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if read == 0 { return true }
            if read < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                return true  // ECONNRESET and the like
            }
        }
    }

    /// Reads until the end of one HTTP response head and returns the status line.
    func readStatusLine(within timeout: Duration) -> String? {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return nil }
            let read = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if read == 0 { return nil }
            if read > 0 { received += buffer[..<read] }
            let text = String(decoding: received, as: UTF8.self)
            if text.contains("\r\n\r\n") { return text.components(separatedBy: "\r\n").first }
        }
        return nil
    }

    func close() {
        Glibc.close(fd)
    }
}

/// Raises this process's soft open-file limit to `count` (up to the hard limit) so a test can
/// hold that many sockets; fails when the hard limit is lower.
func allowOpenFiles(_ count: Int) throws {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
    guard limit.rlim_cur < rlim_t(count) else { return }
    guard limit.rlim_max >= rlim_t(count) else {
        throw RawSocket.Failure(
            description: "this test needs \(count) open files; the hard limit is \(limit.rlim_max)"
        )
    }
    limit.rlim_cur = rlim_t(count)
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}
