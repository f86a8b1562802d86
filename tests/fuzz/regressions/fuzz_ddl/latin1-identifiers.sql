CREATE TABLE "café" (id int PRIMARY KEY, "nÿm" jsonb);
CREATE INDEX ON "café" ("nÿm");
