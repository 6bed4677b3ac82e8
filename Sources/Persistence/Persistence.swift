/// Submission records in MySQL (MariaDB Connector/C) or an embedded SQLite file.
public enum PersistenceModule {}
