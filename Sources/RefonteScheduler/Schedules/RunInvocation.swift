import Foundation

/// What a run of a schedule executes: `refonte run` with these arguments, in this folder.
///
/// The schedule keeps the arguments themselves, so that anything `refonte run` learns (a future
/// `--dry-run`, say) reaches scheduled runs by adding words here, with no change to the runner.
public struct RunInvocation: Sendable, Hashable {
    /// The words after `refonte run`: options, the script, then `--` and the script's arguments.
    public var arguments: [String]
    /// Where the run starts; relative paths in the script resolve from here.
    public var workingDirectory: String

    public init(arguments: [String], workingDirectory: String) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
    }

    /// The options of `refonte run` a schedule can set.
    public struct Options: Sendable, Hashable {
        public var profile: String?
        /// As the user wrote them (`10m`, `256MB`); the command line checks them first.
        public var timeout: String?
        public var maxMemory: String?
        public var allowRead: [String] = []
        public var allowWrite: [String] = []
        public var allowEnv: [String] = []

        public init(
            profile: String? = nil,
            timeout: String? = nil,
            maxMemory: String? = nil,
            allowRead: [String] = [],
            allowWrite: [String] = [],
            allowEnv: [String] = []
        ) {
            self.profile = profile
            self.timeout = timeout
            self.maxMemory = maxMemory
            self.allowRead = allowRead
            self.allowWrite = allowWrite
            self.allowEnv = allowEnv
        }
    }

    /// `refonte run [options] SCRIPT [-- ARGS...]`.
    public static func script(
        _ script: String,
        arguments scriptArguments: [String] = [],
        options: Options = Options(),
        workingDirectory: String
    ) -> RunInvocation {
        var words: [String] = []
        if let profile = options.profile { words += ["--profile", profile] }
        if let timeout = options.timeout { words += ["--timeout", timeout] }
        if let maxMemory = options.maxMemory { words += ["--max-memory", maxMemory] }
        for path in options.allowRead { words += ["--allow-read", path] }
        for path in options.allowWrite { words += ["--allow-write", path] }
        for name in options.allowEnv { words += ["--allow-env", name] }
        words.append(script)
        if !scriptArguments.isEmpty { words += ["--"] + scriptArguments }
        return RunInvocation(arguments: words, workingDirectory: workingDirectory)
    }

    /// `refonte run …` as a shell would take it.
    public func commandLine(executable: String = "refonte") -> String {
        ([executable, "run"] + arguments).map(ShellQuote.quote).joined(separator: " ")
    }
}

/// Quotes a word for a POSIX shell only when it needs it.
public enum ShellQuote {
    public static func quote(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "-_./=:@%+,".unicodeScalars.contains(scalar))
        }
        if plain, !word.isEmpty { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
