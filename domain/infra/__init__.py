"""Infrastructure: settings (`config`), the database and its transactions (`db`, and `sqlite` beside other
processes), observation hooks for metrics (`observe`) and read-only row snapshots (`snapshots`).

May import: kernel, models. Knows no rule of the Code.
"""
