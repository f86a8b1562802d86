CREATE TABLE users (
	id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, 
	email VARCHAR(255) NOT NULL, 
	display_name VARCHAR(100), 
	settings JSON NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	UNIQUE (email)
);
CREATE TABLE sqlite_sequence(name,seq);
CREATE INDEX ix_users_lower_email ON users (lower(email));
CREATE TABLE notes (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	title VARCHAR(200) NOT NULL, 
	body TEXT NOT NULL, 
	metadata JSON, 
	is_pinned BOOLEAN NOT NULL, 
	is_archived BOOLEAN NOT NULL, 
	created_at DATETIME DEFAULT (CURRENT_TIMESTAMP) NOT NULL, 
	updated_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id) ON DELETE CASCADE
);
CREATE INDEX ix_notes_user_id_updated_at ON notes (user_id, updated_at DESC);
CREATE INDEX ix_notes_pinned ON notes (user_id) WHERE is_pinned = 1 AND is_archived = 0;
CREATE TABLE tags (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	name VARCHAR(50) NOT NULL, 
	color VARCHAR(7), 
	PRIMARY KEY (id), 
	FOREIGN KEY(user_id) REFERENCES users (id)
);
CREATE INDEX ix_tags_name ON tags (name);
CREATE TABLE note_tags (
	note_id INTEGER NOT NULL, 
	tag_id INTEGER NOT NULL, 
	PRIMARY KEY (note_id, tag_id), 
	FOREIGN KEY(note_id) REFERENCES notes (id) ON DELETE CASCADE, 
	FOREIGN KEY(tag_id) REFERENCES tags (id) ON DELETE CASCADE
);
CREATE TABLE note_stats (
	note_id INTEGER NOT NULL, 
	word_count INTEGER NOT NULL, 
	read_count INTEGER NOT NULL, 
	PRIMARY KEY (note_id), 
	FOREIGN KEY(note_id) REFERENCES notes (id) ON DELETE CASCADE
);
CREATE TABLE attachments (
	id INTEGER NOT NULL, 
	note_id INTEGER NOT NULL, 
	filename VARCHAR(255) NOT NULL, 
	meta TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(note_id) REFERENCES notes (id) ON DELETE CASCADE, 
	CHECK (json_valid(meta))
);
CREATE INDEX ix_attachments_note_id ON attachments (note_id);
