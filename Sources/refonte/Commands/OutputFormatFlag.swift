import ArgumentParser

/// `--output text|json` for the commands whose answer scripts and pipelines read
/// (`auth status`, `ops list`, `ops describe`).
struct OutputFormatFlag: ParsableArguments {
    @Option(
        name: .customLong("output"),
        help: ArgumentHelp(
            "text (for people) or json (one document on standard output, for scripts and jq).",
            valueName: "format"
        )
    )
    var format: SummaryFormat = .text
}
