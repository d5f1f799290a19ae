using Pulse.Core;

namespace Pulse.Sqlite.Posts;

/// <summary>
/// Posts, their hashtags and likes (versions 200–299). Hashtags live in a normalised <c>post_hashtags</c> table whose
/// primary key (tag, post_id) is the search index; see docs/posts-and-search.md. Never edit a released version.
/// </summary>
public static class SqlitePostsSchema
{
    public static readonly SchemaScript[] Scripts =
    [
        new(200, """
            CREATE TABLE posts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                user_id INTEGER NOT NULL,
                content TEXT NOT NULL,
                image_urls TEXT,
                hashtags TEXT NOT NULL,
                like_count INTEGER NOT NULL DEFAULT 0 CHECK (like_count >= 0),
                created_at INTEGER NOT NULL);
            CREATE INDEX ix_posts_popular ON posts(like_count, created_at, id) WHERE like_count > 0;
            CREATE TABLE post_hashtags (
                tag TEXT NOT NULL,
                post_id INTEGER NOT NULL REFERENCES posts(id),
                PRIMARY KEY (tag, post_id)) WITHOUT ROWID;
            CREATE TABLE post_likes (
                post_id INTEGER NOT NULL REFERENCES posts(id),
                user_id INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (post_id, user_id)) WITHOUT ROWID;
            CREATE INDEX ix_post_likes_created_at ON post_likes(created_at, post_id);
            """),
    ];
}
