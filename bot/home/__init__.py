"""The App Home, a summariser of the features: the tab itself (`tab`: the list of sections,
building and publishing the view), what every section is given (`context`), the sections
(`kpis`, `sections`, `work`) and the form that subscribes a channel to the digest
(`subscribe_form`)."""
