-- A small WhatsApp CRM (seed 004) before tenant isolation.
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TABLE organizations (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
CREATE TABLE roles (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), organization_id uuid REFERENCES organizations (id), email text NOT NULL);
CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id uuid REFERENCES organizations (id),
  owner_id uuid REFERENCES users (id),
  wa_id text
);
CREATE TABLE orders (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), customer_id uuid REFERENCES customers (id));
CREATE TABLE payments (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), order_id uuid REFERENCES orders (id) ON DELETE CASCADE);
CREATE TABLE payment_transactions (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), payment_id uuid REFERENCES payments (id), amount numeric NOT NULL);
CREATE TABLE flow_logs (id bigserial PRIMARY KEY, wa_id text NOT NULL, step text);
CREATE TABLE campaigns (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_by uuid REFERENCES users (id));
CREATE TABLE jobs (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), campaign_id uuid REFERENCES campaigns (id));
CREATE TABLE whatsapp_api_logs (
  id bigserial PRIMARY KEY,
  campaign_id uuid REFERENCES campaigns (id),
  job_id uuid REFERENCES jobs (id),
  status int NOT NULL DEFAULT 200
);
CREATE TABLE templates (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL);
-- a tenant table's key into a shared table: global templates and each organization's own
ALTER TABLE campaigns ADD COLUMN template_id uuid REFERENCES templates (id);
CREATE TABLE zoho_mappings (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), created_by uuid REFERENCES users (id));

INSERT INTO organizations (id, name) VALUES (md5('org:a')::uuid, 'A'), (md5('org:b')::uuid, 'B');
INSERT INTO users (id, organization_id, email) VALUES
  (md5('user:a')::uuid, md5('org:a')::uuid, 'a@example.com'),
  (md5('user:b')::uuid, md5('org:b')::uuid, 'b@example.com'),
  (md5('user:admin')::uuid, NULL, 'admin@example.com');
-- one legacy customer of A without organization_id; two customers share a wa_id across organizations
INSERT INTO customers (id, organization_id, owner_id, wa_id) VALUES
  (md5('cust:a1')::uuid, md5('org:a')::uuid, md5('user:a')::uuid, 'wa-1'),
  (md5('cust:a2')::uuid, NULL, md5('user:a')::uuid, 'wa-shared'),
  (md5('cust:b1')::uuid, md5('org:b')::uuid, md5('user:b')::uuid, 'wa-shared');
INSERT INTO orders (id, customer_id) VALUES (md5('order:a')::uuid, md5('cust:a1')::uuid), (md5('order:b')::uuid, md5('cust:b1')::uuid);
INSERT INTO payments (id, order_id) VALUES (md5('pay:a')::uuid, md5('order:a')::uuid), (md5('pay:b')::uuid, md5('order:b')::uuid);
INSERT INTO payment_transactions (payment_id, amount) VALUES (md5('pay:a')::uuid, 10), (md5('pay:b')::uuid, 20);
INSERT INTO flow_logs (wa_id, step) VALUES ('wa-1', 'start'), ('wa-shared', 'start'), ('wa-unknown', 'start');
INSERT INTO campaigns (id, created_by) VALUES (md5('camp:a')::uuid, md5('user:a')::uuid);
INSERT INTO jobs (id, campaign_id) VALUES (md5('job:a')::uuid, md5('camp:a')::uuid);
INSERT INTO whatsapp_api_logs (campaign_id, job_id) VALUES (md5('camp:a')::uuid, NULL), (NULL, md5('job:a')::uuid), (NULL, NULL);
INSERT INTO templates (name) VALUES ('global');
UPDATE campaigns SET template_id = (SELECT id FROM templates WHERE name = 'global');
INSERT INTO zoho_mappings (created_by) VALUES (md5('user:a')::uuid), (md5('user:admin')::uuid);
