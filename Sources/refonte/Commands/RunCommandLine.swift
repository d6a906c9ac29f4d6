import Quantities
import RefonteAPI

/// Reads `refonte run`'s command line without ArgumentParser, for a quick start.
///
/// ArgumentParser finds a command's options by reflection, and each type it inspects costs a
/// scan of the binary's 11,000 protocol conformances: 43 million instructions, two thirds of
/// `refonte run -e ''` (measured with callgrind). This reader takes the options `Run` declares,
/// in the forms it accepts, and returns nil for anything else: help, a misspelt option, a value
/// it would refuse. ArgumentParser then reads the same line and says what is wrong, so the
/// messages, the help and the advice stay ArgumentParser's. Both end in `RunRequest`, and a
/// test holds the two to the same answer for every option.
enum RunCommandLine {
    /// The request for the words after `run`, or nil when ArgumentParser should read them.
    static func parse(_ arguments: some Collection<String>) -> RunRequest? {
        var request = RunRequest()
        var seen: [String] = []
        var rest = arguments[...]
        while let word = rest.first, word.hasPrefix("-"), word != "-", word != "--" {
            rest = rest.dropFirst()
            let (name, attached) = split(word)
            // A single value or a flag given twice is ArgumentParser's to judge.
            let option = name == "-e" ? "--eval" : name
            guard !seen.contains(option) || repeatable.contains(option) else { return nil }
            seen.append(option)
            switch name {
            case "--sandbox", "--dry-run":
                guard attached == nil else { return nil }
                if name == "--sandbox" { request.sandbox = true } else { request.writes.dryRun = true }
                continue
            default: break
            }
            guard let value = attached ?? rest.first else { return nil }
            if attached == nil {
                // -e takes whatever follows; other values never look like an option.
                guard option == "--eval" || !value.hasPrefix("-") else { return nil }
                rest = rest.dropFirst()
            }
            guard set(name, to: value, in: &request) else { return nil }
        }
        request.words = Array(rest)
        guard (try? request.validate()) != nil else { return nil }
        return request
    }

    private static let repeatable = ["--allow-read", "--allow-write", "--allow-env"]

    /// `--name=value` as (name, value); `-e=…` is left whole, as ArgumentParser has no such form.
    private static func split(_ word: String) -> (String, String?) {
        guard word.hasPrefix("--"), let equals = word.firstIndex(of: "=") else { return (word, nil) }
        return (String(word[..<equals]), String(word[word.index(after: equals)...]))
    }

    /// Sets the option `name`; false for an unknown option or a value it would refuse.
    private static func set(_ name: String, to value: String, in request: inout RunRequest) -> Bool {
        switch name {
        case "-e", "--eval": request.code = value
        case "--timeout":
            guard let duration = DurationText.parse(value) else { return false }
            request.jail.timeout = duration
        case "--max-memory":
            guard let bytes = ByteCountText.parse(value) else { return false }
            request.jail.maxMemory = bytes
        case "--allow-read": request.jail.allowRead.append(value)
        case "--allow-write": request.jail.allowWrite.append(value)
        case "--allow-env": request.jail.allowEnv.append(value)
        case "--summary-out": request.summaryOut = value
        case "--profile": request.credentials.profile = value
        case "--api-key-file": request.credentials.apiKeyFile = value
        case "--base-url": request.credentials.baseURL = value
        case "--sandbox-db": request.sandboxDatabase = value
        case "--plan-out": request.writes.planOut = value
        case "--audit-log": request.writes.auditLog = value
        case "--rate": request.pacing.rate = value
        case "--burst":
            guard let burst = Int(value) else { return false }
            request.pacing.burst = burst
        case "--output":
            guard let format = SummaryFormat(rawValue: value) else { return false }
            request.output = format
        case "--progress":
            guard let mode = ProgressMode(rawValue: value) else { return false }
            request.progress = mode
        default: return false
        }
        return true
    }
}
