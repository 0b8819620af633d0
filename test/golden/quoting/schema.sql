-- Tables for the quoting manifest: every name needs quotes somewhere.
CREATE SCHEMA "CRM Data";
CREATE TABLE "CRM Data"."Organisations" (id bigint PRIMARY KEY, name text NOT NULL);
CREATE TABLE "CRM Data"."Customer's Table" (
  id bigint PRIMARY KEY,
  "Org ID" bigint REFERENCES "CRM Data"."Organisations" (id)
);
CREATE TABLE "CRM Data"."order" (
  id bigserial PRIMARY KEY,
  "Customer Id" bigint REFERENCES "CRM Data"."Customer's Table" (id),
  note text
);
CREATE TABLE "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names (
  id bigserial PRIMARY KEY,
  "order" bigint REFERENCES "CRM Data"."order" (id)
);
INSERT INTO "CRM Data"."Organisations" VALUES (1, 'one'), (2, 'two');
INSERT INTO "CRM Data"."Customer's Table" VALUES (10, 1), (20, 2);
INSERT INTO "CRM Data"."order" ("Customer Id", note) VALUES (10, 'a'), (10, 'b'), (20, 'c');
INSERT INTO "CRM Data".a_table_name_that_is_long_enough_to_need_hashing_in_names ("order") VALUES (1), (3);
