extension Catalog {
    static let quality: [Operation] = [
        Operation(
            id: "quality.attempts.list",
            method: .get,
            path: "/quality/labelers",
            parameters: [
                Parameter(
                    "quality_task_ids",
                    in: .query,
                    .array(.string),
                    doc: "Only attempts at these quality tasks."
                ),
                Parameter(
                    "labeler_emails",
                    in: .query,
                    .array(.string),
                    doc: "Only attempts by these labelers."
                ),
                limit(),
                nextToken(),
            ],
            mutates: false,
            pagination: .cursor,
            summary: "List labelers' training attempts at quality tasks.",
            returns: "Paginated list of TrainingAttempt",
            response: .model("TrainingAttemptList"),
            constraints: [.atLeastOne(of: ["quality_task_ids", "labeler_emails"])]
        )
    ]

    static func limit() -> Parameter {
        Parameter(
            "limit",
            in: .query,
            .integer,
            doc: "Page size.",
            minimum: 1,
            maximum: 100,
            default: .integer(100)
        )
    }

    static func nextToken() -> Parameter {
        Parameter("next_token", in: .query, .string, doc: "Cursor from the previous page's `next_token`.")
    }
}
