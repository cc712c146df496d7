"""A first EMR Serverless job: count the rows of a small generated DataFrame."""

from pyspark.sql import SparkSession

spark = SparkSession.builder.appName("emrform-quickstart").getOrCreate()
rows = spark.range(1_000_000).selectExpr("id % 10 AS bucket").groupBy("bucket").count()
rows.show()
spark.stop()
