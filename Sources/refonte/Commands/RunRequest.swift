import ArgumentParser
import RefonteAPI

/// Everything `refonte run` was asked to do, whichever parser read the command line:
/// `RunCommandLine` for the usual case, ArgumentParser's `Run` for the rest (help, errors,
/// advice). Both end in the same checks (`validate`) and the same run (`run()`).
struct RunRequest: Equatable {
    /// `-e CODE`.
    var code: String?
    /// The script and its arguments, as lua.c takes them: every word after the script is the
    /// script's, options included; a `--` right after the script is dropped.
    var words: [String] = []
    var jail = JailSettings()
    var summaryOut: String?
    var credentials = CredentialOptions()
    var sandbox = false
    var sandboxDatabase: String?
    var writes = WriteSettings()
    var pacing = PacingSettings()
    var output = SummaryFormat.text
    var progress = ProgressMode.auto

    /// The script file (or -), nil with -e.
    var script: String? {
        guard code == nil else { return nil }
        return words.first == "--" ? words.dropFirst().first : words.first
    }

    /// The script's arguments: `arg[1...]` and `...`.
    var arguments: [String] {
        var rest = words[...]
        if code == nil {
            if rest.first == "--" { rest = rest.dropFirst() }
            rest = rest.dropFirst()
        }
        if rest.first == "--" { rest = rest.dropFirst() }
        return Array(rest)
    }

    /// The process's command line words before the script (for arg[-1], arg[-2], …).
    var commandLineBeforeScript: [String] {
        let words = CommandLine.arguments
        let end = words.firstIndex(of: "--") ?? words.count
        guard let script, let position = words[..<end].lastIndex(of: script) else {
            return Array(words[..<end])
        }
        return Array(words[..<position])
    }

    /// What is wrong between SCRIPT and -e CODE, or nil.
    var scriptProblem: String? {
        switch (script, code) {
        case (nil, nil):
            return "missing SCRIPT: give a script file, - to read the script from standard input, or -e CODE"
        case (nil, .some):
            if let first = words.first, first != "--" {
                return
                    "give either SCRIPT (\(first)) or -e CODE, not both (arguments for -e CODE go after --)"
            }
            return nil
        default:
            return nil
        }
    }

    /// Every check that `Run`'s option groups make, in the order ArgumentParser makes them.
    func validate() throws {
        try jail.validate()
        try CredentialFlags.validate(credentials)
        try writes.validate()
        try pacing.validate()
        if let scriptProblem { throw ValidationError(scriptProblem) }
    }
}
