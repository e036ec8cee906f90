/// The schema of the service, in order. Append new migrations; never edit or reorder released ones.
public enum SchemaMigrations {
    public static let all: [Migration] = [
        Migration(
            version: 1,
            name: "create_tasks",
            statements: [
                """
                CREATE TABLE tasks (
                    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
                    seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
                    title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
                    description text CHECK (char_length(description) <= 2000),
                    done boolean NOT NULL DEFAULT false,
                    due_date date,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "COMMENT ON COLUMN tasks.seq IS 'stable list order; the API cursor encodes it'",
            ]
        )
    ]

    /// The version this build needs; `/readyz` is false while the database is below it.
    public static var latestVersion: Int { all.last?.version ?? 0 }
}
