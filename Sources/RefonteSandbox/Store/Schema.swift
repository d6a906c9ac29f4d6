import GRDB

/// The store's tables, one migration per change so that a persistent database upgrades.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
        }
        migrator.registerMigration("v2: task list by status") { db in
            // tasks.list filters by status and pages by sequence; counting then needs no scan.
            try db.execute(sql: "CREATE INDEX task_tenant_status_seq ON task (tenant_id, status, seq)")
        }
        migrator.registerMigration("v3: emails match lower-cased") { db in
            // Emails are kept as first given and compared with COLLATE NOCASE (the contract);
            // this index serves those lookups.
            try db.execute(
                sql: "CREATE INDEX teammate_email_nocase ON teammate (tenant_id, email COLLATE NOCASE)"
            )
        }
        return migrator
    }

    // Dates are milliseconds since 1970. Free-form values (params, metadata, tags) are canonical
    // JSON text, spliced into responses as they are.
    private static let v1 = """
        CREATE TABLE tenant (
            id INTEGER PRIMARY KEY,
            account TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('live', 'test')),
            studio INTEGER NOT NULL DEFAULT 0,
            seeded INTEGER NOT NULL DEFAULT 0,
            UNIQUE (account, mode)
        );
        CREATE TABLE api_key (
            key TEXT PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE teammate (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            email TEXT NOT NULL,
            role TEXT NOT NULL,
            invited_role TEXT,
            first_name TEXT,
            last_name TEXT,
            company TEXT,
            disable_rapid_emails INTEGER NOT NULL DEFAULT 0,
            expiry INTEGER,
            created_at INTEGER NOT NULL,
            UNIQUE (tenant_id, email)
        );
        CREATE TABLE project (
            id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            studio INTEGER NOT NULL DEFAULT 0,
            rapid INTEGER NOT NULL DEFAULT 0,
            pipeline TEXT,
            consensus_attempts INTEGER,
            archived INTEGER NOT NULL DEFAULT 0,
            dataset_id TEXT,
            params TEXT NOT NULL DEFAULT '{}',
            UNIQUE (tenant_id, name)
        );
        CREATE TABLE param_version (
            project_id INTEGER NOT NULL REFERENCES project(id),
            version INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            params TEXT NOT NULL,
            PRIMARY KEY (project_id, version)
        ) WITHOUT ROWID;
        CREATE TABLE assignment (
            teammate_id INTEGER NOT NULL REFERENCES teammate(id),
            project_id INTEGER NOT NULL REFERENCES project(id),
            PRIMARY KEY (teammate_id, project_id)
        ) WITHOUT ROWID;
        CREATE TABLE labeler_group (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            project_id INTEGER NOT NULL REFERENCES project(id),
            name TEXT NOT NULL,
            is_singleton INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE (project_id, name)
        );
        CREATE INDEX labeler_group_tenant_name ON labeler_group (tenant_id, name);
        CREATE TABLE group_member (
            group_id INTEGER NOT NULL REFERENCES labeler_group(id),
            teammate_id INTEGER NOT NULL REFERENCES teammate(id),
            PRIMARY KEY (group_id, teammate_id)
        ) WITHOUT ROWID;
        CREATE TABLE batch (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            project_id INTEGER NOT NULL REFERENCES project(id),
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            callback TEXT,
            calibration INTEGER NOT NULL DEFAULT 0,
            self_label INTEGER NOT NULL DEFAULT 0,
            metadata TEXT NOT NULL DEFAULT '{}',
            priority INTEGER,
            UNIQUE (tenant_id, name)
        );
        CREATE TABLE batch_group (
            batch_id INTEGER NOT NULL REFERENCES batch(id),
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (batch_id, position)
        ) WITHOUT ROWID;
        CREATE TABLE task (
            seq INTEGER PRIMARY KEY,
            task_id TEXT NOT NULL UNIQUE,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            type TEXT NOT NULL,
            status TEXT NOT NULL,
            project_id INTEGER NOT NULL REFERENCES project(id),
            batch_id INTEGER REFERENCES batch(id),
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            completed_at INTEGER,
            instruction TEXT,
            callback_url TEXT,
            params TEXT NOT NULL DEFAULT '{}',
            metadata TEXT NOT NULL DEFAULT '{}',
            unique_id TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            response TEXT,
            review_status TEXT,
            review_comments TEXT,
            UNIQUE (tenant_id, unique_id)
        );
        CREATE INDEX task_tenant_seq ON task (tenant_id, seq);
        CREATE INDEX task_batch_status ON task (batch_id, status);
        CREATE INDEX task_project_seq ON task (project_id, seq);
        CREATE TABLE attempt (
            seq INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            task_seq INTEGER NOT NULL REFERENCES task(seq),
            labeler_email TEXT NOT NULL,
            project_name TEXT NOT NULL,
            score REAL NOT NULL,
            passed INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX attempt_task ON attempt (task_seq);
        CREATE INDEX attempt_tenant_email ON attempt (tenant_id, labeler_email);
        CREATE TABLE imported_file (
            id INTEGER PRIMARY KEY,
            public_id TEXT NOT NULL,
            tenant_id INTEGER NOT NULL REFERENCES tenant(id),
            file_url TEXT NOT NULL,
            attachment_url TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            mime_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            project_names TEXT NOT NULL
        );
        """
}
