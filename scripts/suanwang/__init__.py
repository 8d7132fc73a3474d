"""Read suanwang's HDF5 result files into pandas.

    import suanwang
    f = suanwang.read("outputs/national_week.h5")
    run = f.run()                     # the only run (or f.runs["national_week"])
    run.summary                       # dict: jobs_completed, mean_wait_s, cost_CNY, ...
    run.jobs                          # one row per job, strings as str
    run.parts                         # one row per part of a job split over centers (1.3)
    run.flows                         # one row per network flow, with record_flows (1.6)
    run.centers                       # long: center, time_s, busy_chips, queue_length, ...
    run.links                         # long: link, time_s, utilization, bytes, up
    run.services                      # long: service, time_s, p99_latency_s, ...
    run.center_totals                 # one row per center: energy_J, cost_CNY, carbon_kg, ...
    run.network.cities / .pools / .links   # the network as simulated
    f.summaries                       # one row per run: status, policy, sweep point, numbers
    f.sweep                           # /sweep_summary of a sweep (None otherwise)

Everything comes from the file alone. The layout is sim/record/run_format.hpp
(format 1.3; 1.0 to 1.2 files are read too: 1.0 without the network, before 1.3
without the carbon columns of network.cities). Units are in the
column names (_s, _J, _CNY, _kg, _B, _W) and in each table's
`DataFrame.attrs["units"]`; descriptions in `DataFrame.attrs["description"]`.
"""
from .run_file import FORMAT_VERSIONS, File, FormatError, Network, Run, read

__all__ = ["read", "File", "Run", "Network", "FormatError", "FORMAT_VERSIONS"]
