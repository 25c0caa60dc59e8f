"""Daily seller KPIs, in three parts that change for different reasons: writing imported
seller-days (`seller_days`), keeping the sum tables in step with them (`sums`), and what /kpi
reads (`reads`)."""
