"""The classifier that ranks candidate code sets and gives a calibrated confidence.

`features` turns a report (its spaCy Doc, facts and rule result) into a sparse vector;
`classifier` predicts a code set from it (stage 1); `ranker` combines the rules'
candidates with the classifier's probabilities into a calibrated probability that each
candidate is the right code set (stage 2); `train` builds both from the corpus and
`artifact` saves and loads them with a JSON card whose SHA-256 is checked before loading.
"""
