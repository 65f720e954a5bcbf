-- The fact-checks a resident was shown when asking (the answer, if one matched, then the related ones): the claim's
-- status page shows them again, as they were, however the matcher or the corpus changes later.
CREATE TABLE desk_claim_shown (
  claim_id int NOT NULL REFERENCES desk_claims(id) ON DELETE CASCADE,
  item_id int NOT NULL REFERENCES desk_items(id) ON DELETE CASCADE,
  position smallint NOT NULL,
  answers boolean NOT NULL,
  PRIMARY KEY (claim_id, item_id)
);
