package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// fnFileUnused removes a file's bytes once no evidence refers to them.
const fnFileUnused = schema + ".file_unused"

// createV4 keeps each attached file's bytes once, by SHA-256, in
// file_contents(sha256, data); evidence_files(evidence_id, sha256) says
// which file each evidence record has. The same file attached to many
// records (a force policy, a plan shared by several findings) is sent and
// kept once, and the server's own backups (pg_dump) hold it once. The
// bytes are kept while any evidence refers to them: deleting the last
// evidence_files row of a file deletes it (file_unused). A file's name is
// the SHA-256 of the bytes moved over, so one that was damaged before the
// upgrade still fails its record's digest when read, as it did.
//
// Who may add a file's bytes is what evidence_files allows: an improvement
// lead, or a delivery lead for a file that evidence on a finding they lead
// names; everyone with a role reads them.
func createV4(ctx context.Context, tx pgx.Tx) error {
	groups := map[Role]string{}
	for _, r := range Roles {
		var name string
		if err := tx.QueryRow(ctx, `SELECT value FROM `+table("meta")+` WHERE key = $1`, metaGroupKey(r)).Scan(&name); err != nil {
			return fmt.Errorf("the register's group role for %s is not recorded (%v)", r.Words(), err)
		}
		groups[r] = pgx.Identifier{name}.Sanitize()
	}
	all := groups[RoleImprovementLead] + ", " + groups[RoleDeliveryLead] + ", " + groups[RoleViewer]
	lead, dl := groups[RoleImprovementLead], groups[RoleDeliveryLead]
	contents, files := table("file_contents"), table("evidence_files")
	role := `(SELECT ` + fnLoginRole + `())`
	stmts := []string{
		`CREATE TABLE ` + contents + ` (sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'), data bytea NOT NULL)`,
		`INSERT INTO ` + contents + ` (sha256, data)
			SELECT DISTINCT ON (h) h, data FROM (SELECT encode(sha256(data), 'hex') AS h, data FROM ` + files + `) f ORDER BY h`,
		`ALTER TABLE ` + files + ` ADD COLUMN sha256 text`,
		`UPDATE ` + files + ` SET sha256 = encode(sha256(data), 'hex')`,
		`ALTER TABLE ` + files + ` ALTER COLUMN sha256 SET NOT NULL, DROP COLUMN data,
			ADD FOREIGN KEY (sha256) REFERENCES ` + contents + ` (sha256)`,
		`CREATE INDEX ON ` + files + ` (sha256)`,

		`ALTER TABLE ` + contents + ` ENABLE ROW LEVEL SECURITY`,
		`CREATE POLICY readers ON ` + contents + ` FOR SELECT USING (` + role + ` IS NOT NULL)`,
		`CREATE POLICY improvement_lead ON ` + contents + ` FOR ALL USING (` + role + ` = 'improvement-lead') WITH CHECK (` + role + ` = 'improvement-lead')`,
		`CREATE POLICY delivery_lead_add ON ` + contents + ` FOR INSERT WITH CHECK (EXISTS (SELECT 1 FROM ` + table("evidence") + ` e
			WHERE e.body->>'sha256' = sha256 AND ` + fnLeads + `(e.finding_id)))`,
		`GRANT SELECT ON ` + contents + ` TO ` + all,
		// Bytes are never replaced: their name is their digest.
		`GRANT INSERT, DELETE ON ` + contents + ` TO ` + lead,
		`GRANT INSERT ON ` + contents + ` TO ` + dl,

		// Runs as the login that deleted the evidence (an improvement
		// lead, or the owner), under its own rights.
		`CREATE FUNCTION ` + fnFileUnused + `() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
		BEGIN
			DELETE FROM ` + contents + ` c WHERE c.sha256 = OLD.sha256
				AND NOT EXISTS (SELECT 1 FROM ` + files + ` f WHERE f.sha256 = OLD.sha256);
			RETURN NULL;
		END $$`,
		`REVOKE ALL ON FUNCTION ` + fnFileUnused + `() FROM PUBLIC`,
		`CREATE TRIGGER file_unused AFTER DELETE ON ` + files + ` FOR EACH ROW EXECUTE FUNCTION ` + fnFileUnused + `()`,
	}
	for _, s := range stmts {
		if _, err := tx.Exec(ctx, s); err != nil {
			return fmt.Errorf("%w\n(in: %.200s)", err, s)
		}
	}
	return nil
}
