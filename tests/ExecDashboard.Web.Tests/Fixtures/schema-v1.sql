-- A schema version 1 database as ExecDashboard 1.0.0 (commit f909127) wrote it, dumped with sqlite3 .dump:
-- session 1 imports a small sendmail-like raw audit log (a failed exec, a non-UTF-8 argument);
-- session 2 is the same log replayed live by the collector.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_us INTEGER NOT NULL);
INSERT INTO schema_version VALUES(1,1796114457606417);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    started_us INTEGER NOT NULL,
    ended_us INTEGER,
    host TEXT NOT NULL,
    origin TEXT NOT NULL CHECK (origin IN ('live', 'import')));
INSERT INTO sessions VALUES(1,'v1-import',1700000000000000,1700000000035000,'mailhost','import');
INSERT INTO sessions VALUES(2,'Live 2026-12-01 08:41',1796114471126431,1796114471679187,'vm','live');
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    origin INTEGER NOT NULL,
    host TEXT NOT NULL,
    boot TEXT NOT NULL,
    serial INTEGER NOT NULL,
    time_us INTEGER NOT NULL,
    pid INTEGER NOT NULL,
    ppid INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    auid INTEGER NOT NULL,
    comm TEXT NOT NULL,
    exe TEXT NOT NULL,
    argv TEXT NOT NULL,
    argv_bytes TEXT,
    cwd TEXT NOT NULL,
    success INTEGER NOT NULL,
    exit INTEGER NOT NULL,
    syscall TEXT NOT NULL,
    arch TEXT NOT NULL,
    process_key TEXT NOT NULL,
    parent_key TEXT NOT NULL,
    ancestry TEXT NOT NULL,
    UNIQUE (origin, host, boot, serial, time_us));
INSERT INTO events VALUES(1,1,1,'mailhost','audit-log',1000,1700000000000000,10000,4000,1000,1000,'sudo','/usr/bin/sudo','["sudo","systemctl","status"]',NULL,'/home/ann',1,0,'execve','x86_64','audit-log/10000/170000000000','audit-log/4000/170000000000','[{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(2,1,1,'mailhost','audit-log',1001,1700000000005000,10001,10000,1000,1000,'systemctl','/usr/bin/systemctl','["systemctl","status"]',NULL,'/home/ann',1,0,'execve','x86_64','audit-log/10001/170000000000','audit-log/10000/170000000000','[{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(3,1,1,'mailhost','audit-log',1002,1700000000010000,10002,10000,1000,1000,'bash','/usr/bin/bash','["/bin/bash","/usr/sbin/sendmail","-t"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','audit-log/10002/170000000001','audit-log/10000/170000000000','[{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(4,1,1,'mailhost','audit-log',1003,1700000000015000,10003,10002,1000,1000,'expr','/usr/bin/expr','["expr","1","\u002B","1"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','audit-log/10003/170000000001','audit-log/10002/170000000001','[{"key":"audit-log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(5,1,1,'mailhost','audit-log',1004,1700000000020000,10004,10002,1000,1000,'expr','/usr/bin/expr','["expr","2","\u002B","1"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','audit-log/10004/170000000002','audit-log/10002/170000000001','[{"key":"audit-log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(6,1,1,'mailhost','audit-log',1005,1700000000025000,10005,10002,1000,1000,'nosuch','/usr/bin/nosuch','[]',NULL,'/var/spool/mqueue',0,-2,'execve','x86_64','audit-log/10005/170000000002','audit-log/10002/170000000001','[{"key":"audit-log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(7,1,1,'mailhost','audit-log',1006,1700000000030000,10006,10002,1000,1000,'printf','/usr/bin/printf','["printf","\u00E9\uFFFD"]','["cHJpbnRm","w6n/"]','/var/spool/mqueue',1,0,'execve','x86_64','audit-log/10006/170000000003','audit-log/10002/170000000001','[{"key":"audit-log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(8,1,1,'mailhost','audit-log',1007,1700000000035000,10007,10006,1000,1000,'true','/usr/bin/true','["true"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','audit-log/10007/170000000003','audit-log/10006/170000000003','[{"key":"audit-log/10006/170000000003","pid":10006,"exe":"/usr/bin/printf","argv":["printf","\u00E9\uFFFD"],"provenance":0},{"key":"audit-log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"audit-log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"audit-log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(9,2,0,'mailhost','small.log',1000,1700000000000000,10000,4000,1000,1000,'sudo','/usr/bin/sudo','["sudo","systemctl","status"]',NULL,'/home/ann',1,0,'execve','x86_64','small.log/10000/170000000000','small.log/4000/170000000000','[{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(10,2,0,'mailhost','small.log',1001,1700000000005000,10001,10000,1000,1000,'systemctl','/usr/bin/systemctl','["systemctl","status"]',NULL,'/home/ann',1,0,'execve','x86_64','small.log/10001/170000000000','small.log/10000/170000000000','[{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(11,2,0,'mailhost','small.log',1002,1700000000010000,10002,10000,1000,1000,'bash','/usr/bin/bash','["/bin/bash","/usr/sbin/sendmail","-t"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','small.log/10002/170000000001','small.log/10000/170000000000','[{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(12,2,0,'mailhost','small.log',1003,1700000000015000,10003,10002,1000,1000,'expr','/usr/bin/expr','["expr","1","\u002B","1"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','small.log/10003/170000000001','small.log/10002/170000000001','[{"key":"small.log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(13,2,0,'mailhost','small.log',1004,1700000000020000,10004,10002,1000,1000,'expr','/usr/bin/expr','["expr","2","\u002B","1"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','small.log/10004/170000000002','small.log/10002/170000000001','[{"key":"small.log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(14,2,0,'mailhost','small.log',1005,1700000000025000,10005,10002,1000,1000,'nosuch','/usr/bin/nosuch','[]',NULL,'/var/spool/mqueue',0,-2,'execve','x86_64','small.log/10005/170000000002','small.log/10002/170000000001','[{"key":"small.log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(15,2,0,'mailhost','small.log',1006,1700000000030000,10006,10002,1000,1000,'printf','/usr/bin/printf','["printf","\u00E9\uFFFD"]','["cHJpbnRm","w6n/"]','/var/spool/mqueue',1,0,'execve','x86_64','small.log/10006/170000000003','small.log/10002/170000000001','[{"key":"small.log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
INSERT INTO events VALUES(16,2,0,'mailhost','small.log',1007,1700000000035000,10007,10006,1000,1000,'true','/usr/bin/true','["true"]',NULL,'/var/spool/mqueue',1,0,'execve','x86_64','small.log/10007/170000000003','small.log/10006/170000000003','[{"key":"small.log/10006/170000000003","pid":10006,"exe":"/usr/bin/printf","argv":["printf","\u00E9\uFFFD"],"provenance":0},{"key":"small.log/10002/170000000001","pid":10002,"exe":"/usr/bin/bash","argv":["/bin/bash","/usr/sbin/sendmail","-t"],"provenance":0},{"key":"small.log/10000/170000000000","pid":10000,"exe":"/usr/bin/sudo","argv":["sudo","systemctl","status"],"provenance":0},{"key":"small.log/4000/170000000000","pid":4000,"exe":"","argv":[],"provenance":2}]');
CREATE TABLE processes (
    key TEXT PRIMARY KEY,
    pid INTEGER NOT NULL,
    ppid INTEGER NOT NULL,
    parent_key TEXT NOT NULL,
    exe TEXT NOT NULL,
    argv TEXT NOT NULL,
    provenance INTEGER NOT NULL,
    first_seen_us INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL);
INSERT INTO processes VALUES('audit-log/10000/170000000000',10000,4000,'audit-log/4000/170000000000','/usr/bin/sudo','["sudo","systemctl","status"]',0,1700000000000000,1700000000035000);
INSERT INTO processes VALUES('audit-log/10001/170000000000',10001,10000,'audit-log/10000/170000000000','/usr/bin/systemctl','["systemctl","status"]',0,1700000000005000,1700000000005000);
INSERT INTO processes VALUES('audit-log/10002/170000000001',10002,10000,'audit-log/10000/170000000000','/usr/bin/bash','["/bin/bash","/usr/sbin/sendmail","-t"]',0,1700000000010000,1700000000035000);
INSERT INTO processes VALUES('audit-log/10003/170000000001',10003,10002,'audit-log/10002/170000000001','/usr/bin/expr','["expr","1","\u002B","1"]',0,1700000000015000,1700000000015000);
INSERT INTO processes VALUES('audit-log/10004/170000000002',10004,10002,'audit-log/10002/170000000001','/usr/bin/expr','["expr","2","\u002B","1"]',0,1700000000020000,1700000000020000);
INSERT INTO processes VALUES('audit-log/10005/170000000002',10005,10002,'audit-log/10002/170000000001','','[]',2,1700000000025000,1700000000025000);
INSERT INTO processes VALUES('audit-log/10006/170000000003',10006,10002,'audit-log/10002/170000000001','/usr/bin/printf','["printf","\u00E9\uFFFD"]',0,1700000000030000,1700000000035000);
INSERT INTO processes VALUES('audit-log/10007/170000000003',10007,10006,'audit-log/10006/170000000003','/usr/bin/true','["true"]',0,1700000000035000,1700000000035000);
INSERT INTO processes VALUES('audit-log/4000/170000000000',4000,0,'','','[]',2,1700000000000000,1700000000035000);
INSERT INTO processes VALUES('small.log/10000/170000000000',10000,4000,'small.log/4000/170000000000','/usr/bin/sudo','["sudo","systemctl","status"]',0,1700000000000000,1700000000035000);
INSERT INTO processes VALUES('small.log/10001/170000000000',10001,10000,'small.log/10000/170000000000','/usr/bin/systemctl','["systemctl","status"]',0,1700000000005000,1700000000005000);
INSERT INTO processes VALUES('small.log/10002/170000000001',10002,10000,'small.log/10000/170000000000','/usr/bin/bash','["/bin/bash","/usr/sbin/sendmail","-t"]',0,1700000000010000,1700000000035000);
INSERT INTO processes VALUES('small.log/10003/170000000001',10003,10002,'small.log/10002/170000000001','/usr/bin/expr','["expr","1","\u002B","1"]',0,1700000000015000,1700000000015000);
INSERT INTO processes VALUES('small.log/10004/170000000002',10004,10002,'small.log/10002/170000000001','/usr/bin/expr','["expr","2","\u002B","1"]',0,1700000000020000,1700000000020000);
INSERT INTO processes VALUES('small.log/10005/170000000002',10005,10002,'small.log/10002/170000000001','','[]',2,1700000000025000,1700000000025000);
INSERT INTO processes VALUES('small.log/10006/170000000003',10006,10002,'small.log/10002/170000000001','/usr/bin/printf','["printf","\u00E9\uFFFD"]',0,1700000000030000,1700000000035000);
INSERT INTO processes VALUES('small.log/10007/170000000003',10007,10006,'small.log/10006/170000000003','/usr/bin/true','["true"]',0,1700000000035000,1700000000035000);
INSERT INTO processes VALUES('small.log/4000/170000000000',4000,0,'','','[]',2,1700000000000000,1700000000035000);
CREATE TABLE gaps (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL,
    collector_id TEXT NOT NULL,
    time_us INTEGER NOT NULL,
    serial_gaps INTEGER NOT NULL,
    kernel_lost INTEGER NOT NULL);
CREATE TABLE collectors (
    id TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    durable_batch_seq INTEGER NOT NULL,
    serial_gaps INTEGER NOT NULL,
    kernel_lost INTEGER NOT NULL,
    last_seen_us INTEGER NOT NULL);
INSERT INTO collectors VALUES('cdc58f8996154dbb81b74dcc83236237','vm',1,0,0,1796114471536037);
CREATE INDEX events_session_id ON events (session_id, id);
CREATE INDEX events_process_key ON events (process_key);
CREATE INDEX events_parent_key ON events (parent_key);
CREATE INDEX processes_parent_key ON processes (parent_key);
CREATE INDEX processes_pid ON processes (pid);
CREATE INDEX gaps_session_id ON gaps (session_id);
COMMIT;
PRAGMA user_version = 1;
