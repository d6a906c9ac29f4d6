extension Catalog {
    static let projects: [Operation] = [
        Operation(
            id: "projects.create",
            method: .post,
            path: "/projects",
            parameters: [
                Parameter(
                    "type",
                    in: .body,
                    .choice(TaskType.self),
                    required: true,
                    doc: "Task type of the project."
                ),
                Parameter("name", in: .body, .string, required: true, doc: "Unique name of the project."),
                Parameter("params", in: .body, .object, doc: "Default parameters of its tasks."),
                Parameter("rapid", in: .body, .boolean, doc: "A Rapid project."),
                Parameter("studio", in: .body, .boolean, doc: "A Studio project."),
                Parameter("datasetId", in: .body, .string, doc: "Dataset to attach."),
                Parameter(
                    "pipeline",
                    in: .body,
                    .choice(Pipeline.self),
                    doc: "Task pipeline (Studio projects)."
                ),
                Parameter(
                    "consensus_attempts",
                    in: .body,
                    .integer,
                    doc: "Attempts per task with the `consensus_task` pipeline.",
                    minimum: consensusAttempts.lowerBound,
                    maximum: consensusAttempts.upperBound
                ),
            ],
            mutates: true,
            // A repeat fails with 409: project names are unique.
            retry: .idempotentByKey(
                Recovery(read: "projects.get", arguments: ["project": "name"], pick: .whole)
            ),
            planned: .object(["archived": .literal(false), "pipeline": .argument("pipeline")]),
            summary: "Create a project.",
            returns: "Project",
            response: .model("Project"),
            constraints: [
                .onlyWith(field: "pipeline", other: "studio", equal: .bool(true)),
                .onlyWith(
                    field: "consensus_attempts",
                    other: "pipeline",
                    equal: .string(Pipeline.consensusTask.rawValue)
                ),
            ]
        ),
        Operation(
            id: "projects.list",
            method: .get,
            path: "/projects",
            parameters: [
                Parameter(
                    "archived",
                    in: .query,
                    .boolean,
                    doc: "Only archived (true) or active (false) projects."
                )
            ],
            mutates: false,
            summary: "List the projects of the account (not paginated).",
            returns: "[Project]",
            response: .array(.model("Project"))
        ),
        Operation(
            id: "projects.get",
            method: .get,
            path: "/projects/{project}",
            parameters: [projectPath()],
            mutates: false,
            summary: "Get a project by name.",
            returns: "Project",
            response: .model("Project")
        ),
        Operation(
            id: "projects.set_params",
            method: .post,
            path: "/projects/{project}/setParams",
            parameters: [
                projectPath(),
                Parameter(
                    "patch",
                    in: .body,
                    .boolean,
                    doc: "Merge into the current parameters instead of replacing them."
                ),
                Parameter("instruction", in: .body, .string, doc: "Instructions for the project's tasks."),
            ],
            mutates: true,
            // Every call appends a `param_history` version, so a repeat leaves a duplicate entry.
            retry: .never,
            planned: .object(["name": .argument("project")]),
            summary: "Set the default task parameters of a project; any further argument is a parameter.",
            returns: "Project with a new `param_history` entry",
            allowsExtraBodyFields: true,
            response: .model("Project")
        ),
    ]

    /// Attempts per task of a consensus pipeline (the contract: an integer from 1 to 20).
    static let consensusAttempts: ClosedRange<Int64> = 1...20
}
