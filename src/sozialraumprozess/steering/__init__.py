"""The Sozialraum's steering chain, computed from a run's state.

What a *Verantwortungsgemeinschaft* steers by: the Sozialraum record and its
indicator set (*Sozialraummonitoring*), findings (*Befunde*), the goal hierarchy
(*Leitziel → Wirkungsziel → Handlungsziel*), measures with their evaluation,
the budget that reconciles (planned → committed → spent), the participation
that is accounted for, and the programme view across many Sozialräume.

Data flows one way: this package reads the definition and the runtime's state
and is read by the documents, the application layer and the CLI. One module
per concept.
"""
