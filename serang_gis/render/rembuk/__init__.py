"""The rembuk stunting pack (issue 22): the meeting's documents drawn from one atlas plan.

Every figure in the pack comes from the atlas plan and the convergence result (the same numbers,
classes and periods as the maps); nothing here recomputes them.
"""
