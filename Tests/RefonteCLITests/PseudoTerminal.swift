import Foundation
import TestHelpers

#if canImport(Glibc)
import Glibc
#endif

/// Runs `refonte` on a pseudo-terminal and types at it, as a person at a terminal would:
/// the program gets a real terminal (its controlling one, so Ctrl-C is a signal from the
/// line discipline), and the test reads what the terminal would show.
final class PseudoTerminal {
    struct Timeout: Error, CustomStringConvertible {
        var waitingFor: String
        var screen: String
        var description: String {
            "timed out waiting for \(waitingFor.debugDescription); the terminal shows:\n\(screen)"
        }
    }

    let pid: pid_t
    private let master: Int32
    /// Everything the program wrote, escape sequences removed.
    private(set) var transcript = ""
    /// Everything the program wrote, byte for byte (`\n` arrives as `\r\n`).
    private(set) var raw: [UInt8] = []
    /// Where the next `expect` starts looking.
    private var mark: String.Index
    private var pendingBytes: [UInt8] = []
    private var exitStatus: Int32?

    init(
        _ arguments: [String],
        environment: [String: String],
        columns: UInt16 = 100,
        rows: UInt16 = 40
    ) throws {
        // posix_openpt, unlockpt and ptsname are not visible to Swift; their Linux ioctls are.
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.unlockRequest, &unlock) == 0,
            ioctl(master, Self.numberRequest, &number) == 0
        else {
            throw CocoaError(.fileNoSuchFile)
        }
        let slavePath = "/dev/pts/\(number)"
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A session of its own, so the terminal it opens becomes its controlling terminal.
        posix_spawnattr_setflags(&attributes, Self.newSession)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, slavePath, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        SpawnActions.closeInherited(&actions)

        let binary = RunCLI.binary.path
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            close(master)
            throw CocoaError(.executableLoad)
        }
        self.pid = pid
        self.master = master
        self.mark = transcript.startIndex
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    /// Types `text` (`\r` is Enter, `\u{03}` Ctrl-C, `\u{04}` Ctrl-D, `\t` Tab).
    func type(_ text: String) {
        var bytes = Array(text.utf8)
        while !bytes.isEmpty {
            let written = write(master, bytes, bytes.count)
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            bytes.removeFirst(written)
        }
    }

    /// TIOCSPTLCK, TIOCGPTN and POSIX_SPAWN_SETSID (Linux, glibc), which Swift cannot import.
    private static let unlockRequest: UInt = 0x4004_5431
    private static let numberRequest: UInt = 0x8004_5430
    private static let newSession: Int16 = 0x80

    static let up = "\u{1B}[A"
    static let ctrlC = "\u{03}"
    static let ctrlD = "\u{04}"

    /// Waits until the terminal shows `text` after the last match; returns what it showed
    /// up to and including it.
    @discardableResult
    func expect(_ text: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let found = transcript.range(of: text, range: mark..<transcript.endIndex) {
                let seen = String(transcript[mark..<found.upperBound])
                mark = found.upperBound
                return seen
            }
            guard ContinuousClock.now < deadline, try await readSome() else {
                throw Timeout(waitingFor: text, screen: String(transcript[mark...]))
            }
        }
    }

    /// Waits for the program to exit; its status.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            _ = try await readSome()
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = (status >> 8) & 0xff
                // What it wrote just before exiting may still wait in the terminal.
                var drains = 0
                while drains < 50, try await readSome(pause: .milliseconds(20)) { drains += 1 }
                return exitStatus ?? -1
            }
        }
        throw Timeout(waitingFor: "the program to exit", screen: String(transcript[mark...]))
    }

    /// Reads what is there, or sleeps for `pause` when nothing is; false when the terminal is
    /// closed. It never blocks in `poll`: tests share the cooperative pool (see `offThePool`).
    private func readSome(pause: Duration = .milliseconds(10)) async throws -> Bool {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, 0)
        if ready < 0 { return errno == EINTR }
        if ready == 0 {
            try await Task.sleep(for: pause)
            return true
        }
        var chunk = [UInt8](repeating: 0, count: 4096)
        let count = read(master, &chunk, chunk.count)
        // EIO: the program closed its side (it exited).
        guard count > 0 else { return false }
        raw += chunk[0..<count]
        pendingBytes += chunk[0..<count]
        // Keep an incomplete UTF-8 sequence at the end for the next read.
        var end = pendingBytes.count
        var continuation = 0
        while continuation < 3, end - continuation - 1 >= 0,
            pendingBytes[end - continuation - 1] & 0xC0 == 0x80
        {
            continuation += 1
        }
        if end - continuation - 1 >= 0 {
            let lead = pendingBytes[end - continuation - 1]
            let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
            if length > continuation + 1 { end -= continuation + 1 }
        }
        let text = String(decoding: pendingBytes[0..<end], as: UTF8.self)
        pendingBytes.removeFirst(end)
        transcript += Self.plain(text)
        return true
    }

    /// `text` without terminal control: escape sequences, carriage returns and bells removed.
    static func plain(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            switch scalar {
            case "\u{1B}":
                guard let next = scalars.next() else { return out }
                if next == "[" {
                    // CSI: parameters, then a final byte from @ to ~.
                    while let c = scalars.next(), !(0x40...0x7E).contains(c.value) {}
                } else if next == "]" {
                    // OSC: up to BEL or ESC \.
                    while let c = scalars.next(), c != "\u{07}", c != "\u{1B}" {}
                }
            case "\r", "\u{07}", "\u{08}":
                continue
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension PseudoTerminal {
    struct Output {
        var status: Int32
        /// The raw bytes as the terminal received them (`\n` arrives as `\r\n`).
        var text: String
        var seconds: Double
    }

    /// Runs `refonte` to its end on a terminal of its own, typing nothing, and returns every
    /// byte it drew there.
    static func run(
        _ arguments: [String],
        environment: [String: String],
        columns: UInt16 = 100
    ) async throws -> Output {
        var environment = environment
        environment["TERM"] = "xterm-256color"
        let started = ContinuousClock.now
        let terminal = try PseudoTerminal(arguments, environment: environment, columns: columns)
        let status = try await terminal.waitForExit(timeout: .seconds(300))
        let elapsed = ContinuousClock.now - started
        return Output(
            status: status,
            text: String(decoding: terminal.raw, as: UTF8.self),
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }
}
