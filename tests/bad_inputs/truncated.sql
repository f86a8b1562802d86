-- A small schema every bad-input case is measured against.
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users, title text);
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (i