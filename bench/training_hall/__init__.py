"""The parts of the training-hall benchmark; bench/hall.py is the command that runs them.

settings (addresses, accounts, limits, targets), client (a simulated phone), operations
(latencies and errors per kind of request), cpu (CPU seconds per phase), together (threads
released at one start line), kader (a simulated kader and its plan of saves), database (a fresh
database, set up and read back), server (gunicorn, always stopped), phases (login, start, save,
submit), page (the test page), floor (the bare insert), verify (lost answers, wrong grades),
run (one database from start to end), targets (pass or fail), report (the printed tables) and
machine (what the run ran on).
"""
