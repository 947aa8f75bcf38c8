-- Export by tenant also finds entries of batches that name the tenant in details.tenants
-- (src/store/audit-store.ts: details->'tenants' @> '["<code>"]'); without an index that is a scan of
-- the whole trail. jsonb_path_ops serves @> and is smaller than the default operator class.
CREATE INDEX audit_log_details_tenants ON audit_log USING gin ((details -> 'tenants') jsonb_path_ops);
