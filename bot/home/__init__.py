"""The App Home, a summariser of the features: the tab itself (`tab`: building the view from
the sections the features place, and publishing it), what every section is given (`context`),
the sections (`kpis`, `sections`, `work`) and the form that subscribes a channel to the digest
(`subscribe_form`)."""
