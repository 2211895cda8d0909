-- Row-level security: the second wall behind the data-access layer.
-- The request's user, organisations and standing are set per transaction (SET LOCAL through
-- set_config(..., true); see src/lib/server/db/tenant.ts). The app's role owns no table and has no
-- BYPASSRLS, and FORCE makes the policies apply to the owner as well.
CREATE OR REPLACE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE
AS $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_org_ids() RETURNS uuid[] LANGUAGE sql STABLE
AS $$ SELECT coalesce(nullif(current_setting('app.org_ids', true), '')::uuid[], '{}'::uuid[]) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_is_secretariat() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT coalesce(current_setting('app.secretariat', true), '') = 'on' $$;
--> statement-breakpoint
-- Platform jobs (demo loading, the nightly date refresh, session lookup) act for no organisation.
CREATE OR REPLACE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT coalesce(current_setting('app.system', true), '') = 'on' $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_in_org(org uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT app_is_system() OR app_is_secretariat() OR org = ANY(app_org_ids()) $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_program_writable(program uuid) RETURNS boolean LANGUAGE sql STABLE
AS $$ SELECT app_is_system() OR EXISTS (SELECT 1 FROM programs p WHERE p.id = program AND app_in_org(p.organization_id)) $$;
--> statement-breakpoint

-- The public directory: anyone reads (the app hides unpublished rows), only the owning
-- organisation, the secretariat or the platform writes.
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY organizations_read ON organizations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY organizations_insert ON organizations FOR INSERT WITH CHECK (app_is_system() OR app_is_secretariat());
--> statement-breakpoint
CREATE POLICY organizations_update ON organizations FOR UPDATE USING (app_in_org(id)) WITH CHECK (app_in_org(id));
--> statement-breakpoint
CREATE POLICY organizations_delete ON organizations FOR DELETE USING (app_is_system() OR app_is_secretariat());
--> statement-breakpoint

ALTER TABLE programs ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE programs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY programs_read ON programs FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY programs_write ON programs FOR ALL USING (app_in_org(organization_id)) WITH CHECK (app_in_org(organization_id));
--> statement-breakpoint

ALTER TABLE locations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE locations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY locations_read ON locations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY locations_write ON locations FOR ALL USING (app_in_org(organization_id)) WITH CHECK (app_in_org(organization_id));
--> statement-breakpoint

ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE schedules FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY schedules_read ON schedules FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY schedules_write ON schedules FOR ALL USING (app_program_writable(program_id)) WITH CHECK (app_program_writable(program_id));
--> statement-breakpoint

ALTER TABLE program_locations ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE program_locations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY program_locations_read ON program_locations FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY program_locations_write ON program_locations FOR ALL USING (app_program_writable(program_id))
	WITH CHECK (app_program_writable(program_id) AND EXISTS (SELECT 1 FROM locations l WHERE l.id = location_id AND app_in_org(l.organization_id)));
--> statement-breakpoint

ALTER TABLE program_partners ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE program_partners FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY program_partners_read ON program_partners FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY program_partners_write ON program_partners FOR ALL USING (app_program_writable(program_id)) WITH CHECK (app_program_writable(program_id));
--> statement-breakpoint

ALTER TABLE program_upcoming_dates ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE program_upcoming_dates FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY program_upcoming_dates_read ON program_upcoming_dates FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY program_upcoming_dates_write ON program_upcoming_dates FOR ALL USING (app_program_writable(program_id)) WITH CHECK (app_program_writable(program_id));
--> statement-breakpoint

ALTER TABLE taxonomy_terms ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE taxonomy_terms FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY taxonomy_terms_read ON taxonomy_terms FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY taxonomy_terms_write ON taxonomy_terms FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
--> statement-breakpoint

-- Private tables: nothing is visible without a context.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE users FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY users_read ON users FOR SELECT USING (
	app_is_system() OR app_is_secretariat() OR id = app_user_id()
	OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = users.id AND m.organization_id = ANY(app_org_ids()))
);
--> statement-breakpoint
CREATE POLICY users_insert ON users FOR INSERT WITH CHECK (app_is_system());
--> statement-breakpoint
CREATE POLICY users_update ON users FOR UPDATE USING (app_is_system() OR id = app_user_id()) WITH CHECK (app_is_system() OR id = app_user_id());
--> statement-breakpoint
CREATE POLICY users_delete ON users FOR DELETE USING (app_is_system());
--> statement-breakpoint

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY sessions_own ON sessions FOR ALL USING (app_is_system() OR user_id = app_user_id()) WITH CHECK (app_is_system() OR user_id = app_user_id());
--> statement-breakpoint

ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE recovery_codes FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY recovery_codes_own ON recovery_codes FOR ALL USING (app_is_system() OR user_id = app_user_id()) WITH CHECK (app_is_system() OR user_id = app_user_id());
--> statement-breakpoint

ALTER TABLE email_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE email_tokens FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY email_tokens_scoped ON email_tokens FOR ALL
	USING (app_is_system() OR (organization_id IS NOT NULL AND app_in_org(organization_id)))
	WITH CHECK (app_is_system() OR (organization_id IS NOT NULL AND app_in_org(organization_id)));
--> statement-breakpoint

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY memberships_read ON memberships FOR SELECT USING (user_id = app_user_id() OR app_in_org(organization_id));
--> statement-breakpoint
CREATE POLICY memberships_write ON memberships FOR ALL USING (app_in_org(organization_id)) WITH CHECK (app_in_org(organization_id));
--> statement-breakpoint

ALTER TABLE join_requests ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE join_requests FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY join_requests_review ON join_requests FOR ALL USING (app_is_system() OR app_is_secretariat()) WITH CHECK (app_is_system() OR app_is_secretariat());
--> statement-breakpoint
-- Anyone may apply; an application cannot arrive already decided.
CREATE POLICY join_requests_apply ON join_requests FOR INSERT WITH CHECK (status = 'pending' AND organization_id IS NULL AND decided_by IS NULL);
--> statement-breakpoint

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY audit_events_read ON audit_events FOR SELECT USING (
	app_is_system() OR app_is_secretariat() OR (organization_id IS NOT NULL AND organization_id = ANY(app_org_ids()))
);
--> statement-breakpoint
CREATE POLICY audit_events_append ON audit_events FOR INSERT WITH CHECK (organization_id IS NULL OR app_in_org(organization_id));
--> statement-breakpoint
-- Append-only for everyone, the owner included: only a superuser who disables triggers can edit,
-- and the hash chain then shows it.
CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql
AS $$ BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
--> statement-breakpoint
INSERT INTO audit_chain (id, last_id, last_hash) VALUES (1, 0, repeat('0', 64)) ON CONFLICT DO NOTHING;
